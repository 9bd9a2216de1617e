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
 * {@code approvals-local run --seed} for real, and the lines it prints pasted in order into one shell as a developer
 * would: propose (201, ETag "1"), read (200), read if changed (304), approve with If-Match (200, version 2), the
 * same again (409), read (ETag "2"), list pending (gone), without a token (401), reject (200); then it stops
 * cleanly.
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
                "--http-port", "0", "--lambda-port", "0", "--data-api-port", "0", "--step-functions-port", "0",
                "--events-port", "0"),
                thread);
        try {
            LocalStack stack = CompletableFuture.anyOf(run.started(), exit).thenApply(r -> run.started().getNow(null))
                    .exceptionally(e -> null).get(180, TimeUnit.SECONDS);
            assertThat(stack).as("run did not start:\n" + out).isNotNull();
            String banner = out.toString();
            assertThat(banner).contains("Approvals local stack is running").contains("DECODED, NOT VERIFIED")
                    .contains("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f  pending, version 1").contains("Ready.")
                    .contains("role approvals_reader");
            List<String> lines = pasteable(banner);
            assertThat(lines).hasSize(11);
            assertThat(lines.get(0)).startsWith("TOKEN='");

            List<String> outputs = pasteInOneShell(lines);

            String id = outputs.get(1).lines().filter(l -> l.startsWith("ID=")).findFirst().orElseThrow().substring(3);
            assertThat(id).matches("[0-9a-f-]{36}");
            assertThat(outputs.get(1)).startsWith("HTTP/1.1 201").containsIgnoringCase("etag: \"1\"")
                    .containsIgnoringCase("location: /approvals/" + id);
            assertThat(outputs.get(2)).startsWith("HTTP/1.1 200").containsIgnoringCase("etag: \"1\"")
                    .contains("\"status\":\"pending\"");
            assertThat(outputs.get(3)).startsWith("HTTP/1.1 304");
            assertThat(outputs.get(4)).startsWith("HTTP/1.1 200").contains("\"version\":2")
                    .contains("\"status\":\"approved\"");
            assertThat(outputs.get(5)).startsWith("HTTP/1.1 409").contains("already-decided");
            assertThat(outputs.get(6)).startsWith("HTTP/1.1 200").containsIgnoringCase("etag: \"2\"");
            assertThat(outputs.get(7)).startsWith("HTTP/1.1 200").contains("\"items\":[").doesNotContain(id);
            assertThat(outputs.get(8)).startsWith("HTTP/1.1 401").contains("unauthenticated");
            assertThat(outputs.get(9)).startsWith("HTTP/1.1 200").contains("\"status\":\"rejected\"");
            if (onPath("aws").isPresent()) {
                assertThat(outputs.get(10)).contains("\"StatusCode\": 200").contains("\"status\":\"approved\"");
            }
        } finally {
            run.stop();
            assertThat(exit.get(120, TimeUnit.SECONDS)).isZero();
            thread.shutdownNow();
        }
        assertThat(out.toString()).contains("[stack] stopped: no process left, ports free.");
    }

    /** The lines of the banner's "Try it" section a developer pastes (comments left out). */
    private static List<String> pasteable(String banner) {
        List<String> section = banner.lines().dropWhile(l -> !l.startsWith("Try it:")).skip(1)
                .takeWhile(l -> !l.isBlank()).map(String::strip).toList();
        return section.stream().filter(l -> !l.startsWith("#")).toList();
    }

    /** Pastes the lines, in order, into one bash (as into one terminal); returns what each one printed. */
    private List<String> pasteInOneShell(List<String> lines) throws Exception {
        StringBuilder script = new StringBuilder("export HOME=" + temp + "\n");
        for (int i = 0; i < lines.size(); i++) {
            script.append("echo '@@@ ").append(i).append("' >&2\n").append(lines.get(i)).append("\n");
        }
        Process shell = new ProcessBuilder("bash", "-c", script.toString()).directory(temp.toFile())
                .redirectErrorStream(true).start();
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(shell.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(shell.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String printed = read.get(30, TimeUnit.SECONDS);
        System.out.println("Pasted the banner's lines into one shell:\n" + printed);
        List<String> outputs = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int from = printed.indexOf("@@@ " + i + "\n") + ("@@@ " + i + "\n").length();
            int to = i + 1 < lines.size() ? printed.indexOf("@@@ " + (i + 1) + "\n") : printed.length();
            outputs.add(printed.substring(from, to));
        }
        return outputs;
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
