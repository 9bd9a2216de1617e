package dev.approvals.local.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * AWS's template linter (it expands the SAM transform itself) finds nothing in template.yaml: no error, no warning
 * and, with {@code --include-checks I}, no informational finding either (I3011: every stateful resource says what
 * happens to it on deletion and replacement).
 * Skipped, with the reason printed, where cfn-lint is not installed.
 */
class CfnLintIT {

    private static final String NOT_INSTALLED = "cfn-lint is not installed here (pip install cfn-lint): template lint "
            + "skipped";

    @Test
    void cfnLintReportsNothing() throws Exception {
        Path root = Repository.root();
        Result version = requireCfnLint(root);

        Result lint = run(root, List.of("cfn-lint", "--include-checks", "I", "-t", "template.yaml"));

        assertThat(lint).isNotNull();
        assertThat(lint.output()).as("cfn-lint %s findings", version.output().strip()).isEmpty();
        assertThat(lint.exitCode()).as("cfn-lint exit code (2 errors, 4 warnings, 8 informational)").isZero();
    }

    /** The informational checks do run: the template without the cluster's deletion policies gets I3011 findings. */
    @Test
    void theInformationalChecks_findAStatefulResourceWithoutDeletionPolicies(@TempDir Path work) throws Exception {
        Path root = Repository.root();
        requireCfnLint(root);
        String template = Files.readString(root.resolve("template.yaml"));
        String withoutPolicies = template.replace(
                "  DatabaseCluster:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Snapshot\n"
                        + "    UpdateReplacePolicy: Snapshot\n",
                "  DatabaseCluster:\n    Type: AWS::RDS::DBCluster\n");
        assertThat(withoutPolicies).isNotEqualTo(template);
        Files.writeString(work.resolve("template.yaml"), withoutPolicies);

        Result lint = run(work, List.of("cfn-lint", "--include-checks", "I", "-t", "template.yaml"));

        assertThat(lint.output()).contains("I3011 'DeletionPolicy' is a required property",
                "I3011 'UpdateReplacePolicy' is a required property");
        assertThat(lint.exitCode()).as("informational findings only").isEqualTo(8);
    }

    /**
     * cfn-lint validates a state machine's ASL only when it is written inline in an AWS::StepFunctions::StateMachine
     * (the SAM transform turns DefinitionUri into an S3 location it cannot read). So the real definition file is
     * linted inside a minimal template of its own, and a broken copy shows that this check does find errors.
     */
    @Test
    void cfnLintValidatesTheStateMachineDefinition(@TempDir Path work) throws Exception {
        Path root = Repository.root();
        requireCfnLint(root);
        String definition = Files.readString(root.resolve("statemachine/approval-flow.asl.json"));

        Result good = lintDefinition(work, "good.yaml", definition);
        Result broken = lintDefinition(work, "broken.yaml",
                definition.replace("\"Type\": \"Choice\"", "\"Type\": \"Chooser\""));

        assertThat(good.output()).as("findings in the real definition").isEmpty();
        assertThat(good.exitCode()).isZero();
        assertThat(broken.output()).contains("E3601", "'Chooser' is not one of");
    }

    private static Result lintDefinition(Path work, String name, String definition) throws Exception {
        Path file = work.resolve(name);
        Files.writeString(file, STATE_MACHINE_TEMPLATE.replace("DEFINITION", definition.strip().indent(8).strip()));
        return run(work, List.of("cfn-lint", file.toString()));
    }

    /** The definition as CloudFormation would receive it; substitution values stand in for the stack's. */
    private static final String STATE_MACHINE_TEMPLATE = """
            AWSTemplateFormatVersion: '2010-09-09'
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                      - Effect: Allow
                        Principal: {Service: states.amazonaws.com}
                        Action: sts:AssumeRole
              ApprovalFlow:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  RoleArn: !GetAtt Role.Arn
                  DefinitionSubstitutions:
                    WorkflowFunctionAlias: arn:aws:lambda:us-east-1:123456789012:function:workflow:live
                    ApproveFunctionAlias: arn:aws:lambda:us-east-1:123456789012:function:approve:live
                  Definition:
                    DEFINITION
            """;

    /** {@code cfn-lint --version}, asked once per class: each run of it starts Python and loads the linter. */
    private static Result cfnLintVersion;

    private static synchronized Result requireCfnLint(Path root) throws Exception {
        if (cfnLintVersion == null) {
            Result asked = run(root, List.of("cfn-lint", "--version"));
            cfnLintVersion = asked != null ? asked : new Result(-1, "");
        }
        Result version = cfnLintVersion;
        boolean installed = version.exitCode() == 0;
        if (!installed) {
            System.out.println("CfnLintIT: " + NOT_INSTALLED); // also on the console, not only in the report
        }
        assumeTrue(installed, NOT_INSTALLED);
        return version;
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs a command in {@code directory}; null when it cannot be started (not installed). */
    private static Result run(Path directory, List<String> command) throws InterruptedException, IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return null;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), output);
    }
}
