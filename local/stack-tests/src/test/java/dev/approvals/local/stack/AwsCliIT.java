package dev.approvals.local.stack;

import dev.approvals.local.seeds.ApprovalSeeds;
import com.fasterxml.jackson.databind.JsonNode;


import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS CLI (a second, independent client: Python, botocore) invokes the functions through the stack's Invoke
 * endpoint, as `sam local start-lambda` users do. Skipped, saying so, where `aws` is not installed.
 */
class AwsCliIT {

    private static Path aws;
    private static LocalStack stack;

    @TempDir
    Path temp;

    @BeforeAll
    static void findCli() {
        Optional<Path> found = onPath("aws");
        if (found.isEmpty()) {
            System.out.println("AwsCliIT SKIPPED: the AWS CLI (aws) is not on the PATH; install it to run this test");
        }
        Assumptions.assumeTrue(found.isPresent(), "the AWS CLI (aws) is not on the PATH");
        aws = found.get();
        stack = Stacks.shared();
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    record Run(int exitCode, String stdout, String stderr) {
    }

    private Run cli(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(aws.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        Map<String, String> env = builder.environment();
        env.put("HOME", temp.toString()); // no ~/.aws of the developer's
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.remove("AWS_PROFILE");
        Path out = temp.resolve("stdout-" + UUID.randomUUID());
        Path err = temp.resolve("stderr-" + UUID.randomUUID());
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws did not finish: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path payload(UUID id, int expectedVersion) throws Exception {
        Path file = temp.resolve("payload-" + id + ".json");
        Files.writeString(file, "{\"approvalId\": \"" + id + "\", \"expectedVersion\": " + expectedVersion
                + "}");
        return file;
    }

    private static UUID pending() {
        return ApprovalSeeds.into(stack.dataApi().dataSource(stack.dataApi().databaseName()))
                .pending(UUID.randomUUID()).id();
    }

    @Test
    void awsLambdaInvoke_shouldRunTheFunctionAndWriteItsAnswer() throws Exception {
        UUID id = pending();

        Run run = cli("lambda", "invoke", "--endpoint-url", stack.lambdaEndpoint().toString(),
                "--function-name", "ApproveFunction", "--qualifier", "workflow", "--log-type", "Tail",
                "--payload", "fileb://" + payload(id, 1), "answer.json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode summary = Http.JSON.readTree(run.stdout());
        assertThat(summary.path("StatusCode").asInt()).isEqualTo(200);
        assertThat(summary.has("FunctionError")).isFalse();
        assertThat(new String(Base64.getDecoder().decode(summary.path("LogResult").asText()), StandardCharsets.UTF_8))
                .contains("REPORT RequestId:");
        JsonNode answer = Http.JSON.readTree(temp.resolve("answer.json").toFile());
        assertThat(answer.path("id").asText()).isEqualTo(id.toString());
        assertThat(answer.path("status").asText()).isEqualTo("approved");
        assertThat(answer.path("decidedBy").asText()).isEqualTo("workflow:auto-approval-policy");
    }

    @Test
    void awsLambdaInvoke_refusal_shouldReportTheFunctionErrorAndItsType() throws Exception {
        UUID id = pending();
        String endpoint = stack.lambdaEndpoint().toString();
        assertThat(cli("lambda", "invoke", "--endpoint-url", endpoint, "--function-name", "ApproveFunction:workflow",
                "--payload", "fileb://" + payload(id, 1), "first.json").exitCode()).isZero();

        Run run = cli("lambda", "invoke", "--endpoint-url", endpoint, "--function-name", "ApproveFunction:workflow",
                "--payload", "fileb://" + payload(id, 1), "second.json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Http.JSON.readTree(run.stdout()).path("FunctionError").asText()).isEqualTo("Unhandled");
        assertThat(Http.JSON.readTree(temp.resolve("second.json").toFile()).path("errorType").asText())
                .isEqualTo("dev.approvals.errors.ApprovalAlreadyDecidedException");
    }

    @Test
    void awsLambdaInvoke_unknownFunction_shouldFailWithResourceNotFound() throws Exception {
        Run run = cli("lambda", "invoke", "--endpoint-url", stack.lambdaEndpoint().toString(),
                "--function-name", "NoSuchFunction", "--payload", "fileb://" + payload(UUID.randomUUID(), 1),
                "none.json");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("ResourceNotFoundException").contains("Function not found");
    }
}
