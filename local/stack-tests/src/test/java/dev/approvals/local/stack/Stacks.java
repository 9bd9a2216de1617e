package dev.approvals.local.stack;

import dev.approvals.local.lambda.LogSink;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Local stacks for the integration tests: free ports, output in target/it-logs/<name>.log. */
public final class Stacks {

    private static LocalStack shared;

    private Stacks() {
    }

    public static Path root() {
        Path root = Path.of(System.getProperty("approvals.repositoryRoot", "../..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("template.yaml"))) {
            throw new IllegalStateException("No template.yaml in " + root + "; set -Dapprovals.repositoryRoot");
        }
        return root;
    }

    /**
     * Whether this JVM holds a listening TCP socket on {@code port}: the kernel's socket tables ({@code /proc/net/tcp},
     * {@code tcp6}: state {@code 0A} is LISTEN) against this process's descriptors ({@code /proc/self/fd}). Binding
     * or connecting to the port instead would race the other processes on the machine (modules build in parallel):
     * one may take the freed ephemeral port, and a connection may even pick it as its own source port.
     */
    public static boolean listening(int port) {
        try {
            Set<String> inodes = new HashSet<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path path = Path.of(table);
                if (!Files.isReadable(path)) {
                    continue;
                }
                for (String line : Files.readAllLines(path)) {
                    String[] fields = line.trim().split("\\s+");
                    int colon = fields[1].lastIndexOf(':');
                    if (colon > 0 && fields[3].equals("0A")
                            && Integer.parseInt(fields[1].substring(colon + 1), 16) == port) {
                        inodes.add("socket:[" + fields[9] + "]");
                    }
                }
            }
            try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path descriptor : descriptors) {
                    try {
                        if (inodes.contains(Files.readSymbolicLink(descriptor).toString())) {
                            return true;
                        }
                    } catch (IOException closedMeanwhile) {
                        // not ours any more
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LogSink logFile(String name) {
        try {
            Path logs = Files.createDirectories(Path.of("target", "it-logs"));
            return LogSink.to(new PrintStream(Files.newOutputStream(logs.resolve(name + ".log")), true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalStack start(String name, Consumer<LocalStackConfig.Builder> customize) {
        LocalStackConfig.Builder builder = LocalStackConfig.builder(root()).anyFreePorts().log(logFile(name));
        customize.accept(builder);
        return LocalStack.start(builder.build());
    }

    /**
     * One stack for the tests that only call it (AWS CLI, load, bad input, security, decision events, the OpenAPI
     * document): 4 environments per function at most, 2 warm. Each stack costs PostgreSQL, a migration and a JVM
     * per warm environment, so every class that needs no stack of its own (stopped, faulted or configured
     * otherwise) shares this one; each works on approvals it creates, so none sees another's. Two warm, not one:
     * LoadIT's warm-up round then cold-starts two environments per function at once, not three, which on a busy
     * 2-core machine (modules run in parallel) keeps those starts inside Lambda's init and the API's integration
     * timeouts. Stopped when the test JVM exits.
     */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            shared = start("shared-stack", b -> b.poolSize(4).prewarm(2));
            LocalStack stack = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "shared-stack-stop"));
        }
        return shared;
    }
}
