package dev.approvals.local.template;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * AWS's template linter (it expands the SAM transform itself) finds no error and no warning in template.yaml.
 * Skipped, with the reason printed, where cfn-lint is not installed.
 */
class CfnLintIT {

    private static final String NOT_INSTALLED = "cfn-lint is not installed here (pip install cfn-lint): template lint "
            + "skipped";

    @Test
    void cfnLintReportsNothing() throws Exception {
        Path root = Repository.root();
        Result version = run(root, List.of("cfn-lint", "--version"));
        boolean installed = version != null && version.exitCode() == 0;
        if (!installed) {
            System.out.println("CfnLintIT: " + NOT_INSTALLED); // also on the console, not only in the report
        }
        assumeTrue(installed, NOT_INSTALLED);

        Result lint = run(root, List.of("cfn-lint", "template.yaml"));

        assertThat(lint).isNotNull();
        assertThat(lint.output()).as("cfn-lint %s findings", version.output().strip()).isEmpty();
        assertThat(lint.exitCode()).as("cfn-lint exit code (2 errors, 4 warnings, 8 informational)").isZero();
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
