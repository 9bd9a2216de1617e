package dev.approvals.local.dataapi.postgres;

import static dev.approvals.local.dataapi.postgres.PostgresBinaries.bin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data directory's server process, driven through {@code initdb} and {@code pg_ctl} from unpacked binaries,
 * each command started as {@link RunAs} says.
 */
final class PgCtl {

    private static final Logger LOG = LoggerFactory.getLogger(PgCtl.class);

    private final Path binaries;
    private final Path data;
    private final RunAs runAs;

    PgCtl(Path binaries, Path data, RunAs runAs) {
        this.binaries = binaries;
        this.data = data;
        this.runAs = runAs;
    }

    boolean initialised() {
        return Files.exists(data.resolve("PG_VERSION"));
    }

    /** Creates the cluster with superuser {@code superuser}; the password travels in a file readable only by it. */
    void initdb(String superuser, String password, Path scratch) throws IOException {
        Files.createDirectories(data);
        PostgresFiles.setPermissions(data, PostgresFiles.RWX_ONLY);
        runAs.giveOwnership(data);
        Path passwordFile = scratch.resolve("pw-" + UUID.randomUUID());
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        PostgresFiles.setPermissions(passwordFile, PostgresFiles.RW_ONLY);
        runAs.giveOwnership(passwordFile);
        try {
            run(List.of(bin(binaries, "initdb"), "-D", data.toString(), "-U", superuser,
                    "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C", "--no-sync",
                    "--no-instructions"), Duration.ofSeconds(120));
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    /**
     * Starts the server on loopback and returns its port: {@code requestedPort}, or a free one (three tries, as
     * another process may take a free port first). An ephemeral cluster trades durability for speed.
     */
    int start(int requestedPort, boolean ephemeral) throws IOException {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = requestedPort != 0 ? requestedPort : freePort();
            List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                    "-c", "timezone=UTC", "-c", "max_connections=300"));
            if (ephemeral) {
                options.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off"));
            }
            try {
                run(List.of(bin(binaries, "pg_ctl"), "-D", data.toString(),
                        "-l", data.resolve("postgres.log").toString(), "-o", String.join(" ", options),
                        "-w", "-t", "60", "start"), Duration.ofSeconds(70));
                return port;
            } catch (IllegalStateException e) {
                last = new IllegalStateException(e.getMessage() + "\n" + tail(data.resolve("postgres.log")), e);
                if (requestedPort != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    /** Fast shutdown (rolls back open transactions, then stops). */
    void stop() {
        run(List.of(bin(binaries, "pg_ctl"), "-D", data.toString(), "stop", "-m", "fast", "-w", "-t", "30"),
                Duration.ofSeconds(40));
    }

    /** A persistent data directory whose previous JVM died may still have its server running: stop it. */
    void stopLeftover() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                stop();
            } catch (RuntimeException e) {
                LOG.debug("No leftover server in {}: {}", data, e.getMessage());
            }
        }
    }

    /** The server of a dead JVM's ephemeral cluster: its data is about to be deleted, so no clean shutdown. */
    void stopImmediately() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run(List.of(bin(binaries, "pg_ctl"), "-D", data.toString(), "stop", "-m", "immediate", "-w",
                        "-t", "10"), Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                LOG.debug("Stale server in {} was not running: {}", data, e.getMessage());
            }
        }
    }

    /** Runs a command to completion; throws with its output when it fails. */
    private String run(List<String> command, Duration timeout) {
        List<String> full = runAs.wrap(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", full));
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Command failed (exit " + process.exitValue() + "): "
                        + String.join(" ", full) + "\n" + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + full.get(0), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
