package dev.approvals.local.cli;

import dev.approvals.local.stack.LocalStack;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code approvals-local run --seed} for real, and the lines it prints pasted into a shell as a developer would:
 * approve (200, version 2), the same again (409), without a token (401), reject (200); then it stops cleanly.
 */
class RunCommandIT {

    @TempDir
    Path temp;

    @Test
    void run_printedCurlLines_shouldWorkAsPrinted() throws Exception {
        Assumptions.assumeTrue(onPath("curl").isPresent() && onPath("bash").isPresent(),
                "curl and bash are needed to paste the printed lines");
        StringWriter out = new StringWriter();
        CommandLine cli = ApprovalsLocal.commandLine(new PrintWriter(out, true), new PrintWriter(out, true));
        RunCommand run = (RunCommand) cli.getSubcommands().get("run").getCommand();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("run", "--seed",
                "--http-port", "0", "--lambda-port", "0", "--data-api-port", "0", "--step-functions-port", "0"),
                thread);
        try {
            LocalStack stack = CompletableFuture.anyOf(run.started(), exit).thenApply(r -> run.started().getNow(null))
                    .exceptionally(e -> null).get(180, TimeUnit.SECONDS);
            assertThat(stack).as("run did not start:\n" + out).isNotNull();
            String banner = out.toString();
            assertThat(banner).contains("Approvals local stack is running").contains("DECODED, NOT VERIFIED")
                    .contains("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f  pending, version 1").contains("Ready.");
            List<String> curls = banner.lines().filter(l -> l.startsWith("  curl ")).map(String::strip).toList();
            assertThat(curls).hasSize(4);

            assertThat(paste(curls.get(0))).startsWith("HTTP/1.1 200").contains("\"version\":2")
                    .contains("\"status\":\"approved\"");
            assertThat(paste(curls.get(1))).startsWith("HTTP/1.1 409").contains("already-decided");
            assertThat(paste(curls.get(2))).startsWith("HTTP/1.1 401").contains("unauthenticated");
            assertThat(paste(curls.get(3))).startsWith("HTTP/1.1 200").contains("\"status\":\"rejected\"");
            Optional<String> aws = banner.lines().filter(l -> l.contains(" aws lambda invoke ")).findFirst();
            if (onPath("aws").isPresent() && aws.isPresent()) {
                assertThat(paste("export HOME=" + temp + "; " + aws.get().strip()))
                        .contains("\"StatusCode\": 200").contains("\"status\":\"approved\"");
            }
        } finally {
            run.stop();
            assertThat(exit.get(120, TimeUnit.SECONDS)).isZero();
            thread.shutdownNow();
        }
        assertThat(out.toString()).contains("[stack] stopped: no process left, ports free.");
    }

    private String paste(String line) throws Exception {
        Path output = temp.resolve("out-" + System.nanoTime());
        Process shell = new ProcessBuilder("bash", "-c", line).directory(temp.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(shell.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return Files.readString(output);
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
