package dev.approvals.local.lambda;

import dev.approvals.local.loopback.LoopbackServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One Lambda execution environment: a JVM running the function under the Runtime Interface Client
 * ({@link JvmLaunch}), the Lambda Runtime API it polls ({@link RuntimeApi}) on its own loopback port (as every
 * Lambda sandbox has its own {@code AWS_LAMBDA_RUNTIME_API}), and its output ({@link OutputPump}). It serves one
 * invocation at a time; the function's queue hands it the next.
 */
final class ExecutionEnvironment {

    enum State { STARTING, READY, DEAD }

    /** Lambda's synchronous payload limit, both ways. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    /** Process-exit callbacks run here, not on the JDK's process reaper thread. */
    private static final Executor CALLBACKS = Executors.newVirtualThreadPerTaskExecutor();

    private final LambdaFunction function;
    private final FunctionSpec spec;
    final int index;
    final String label;
    private final LogSink output;

    private final OutputPump pump;
    private LoopbackServer runtimeApi;
    private Process process;
    private long spawnNanos;

    volatile State state = State.STARTING;
    volatile double initDurationMs = Double.NaN;
    volatile Invocation current;
    /** The invocation whose arrival started this environment (null for one kept warm): its init error goes there. */
    volatile Invocation startedFor;
    volatile boolean killedOnPurpose;
    volatile String initErrorBody;
    volatile String pendingReport;
    volatile boolean initReported;
    volatile int invocations;
    private volatile long lastMaxMemoryMb = -1;
    final CompletableFuture<ExecutionEnvironment> ready = new CompletableFuture<>();

    ExecutionEnvironment(LambdaFunction function, int index, LogSink output) {
        this.function = function;
        this.spec = function.spec();
        this.index = index;
        this.label = spec.name() + "#" + index;
        this.output = output.prefixed(label);
        this.pump = new OutputPump(this.output, () -> current);
    }

    /** Starts the Runtime API endpoint and the function's JVM. */
    void launch(LambdaRuntimeLibrary runtime, Path scratch) throws IOException {
        runtimeApi = LoopbackServer.on(0).backlog(16).handle("/", new RuntimeApi(this, function)).start();
        Path home = Files.createDirectories(scratch.resolve(label.replace('#', '-')).resolve("home"));
        Path tmp = Files.createDirectories(home.resolveSibling("tmp"));
        Path output = home.resolveSibling("output.log");
        JvmLaunch jvm = new JvmLaunch(spec, runtime);
        ProcessBuilder builder = new ProcessBuilder(jvm.command(tmp))
                .directory(spec.codeDirectory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(jvm.environment(home, runtimeApi.port(), function.settings().snapStart()));
        spawnNanos = System.nanoTime();
        try {
            process = builder.start();
            pump.start(output, function.timers());
        } catch (IOException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            stopRuntimeApi();
            throw e;
        }
        process.onExit().thenAcceptAsync(p -> function.exited(this, p.exitValue()), CALLBACKS);
    }

    long spawnNanos() {
        return spawnNanos;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    boolean isAlive() {
        return state != State.DEAD && process != null && process.isAlive();
    }

    /** Kills the JVM at once, as Lambda does on a timeout. */
    void kill() {
        killedOnPurpose = true;
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Asks the JVM to stop (SIGTERM); {@link #awaitExit} then kills what is left. */
    void stop() {
        killedOnPurpose = true;
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    void awaitExit(long millis) {
        if (process == null) {
            return;
        }
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                kill();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    void stopRuntimeApi() {
        if (runtimeApi != null) {
            runtimeApi.close();
        }
    }

    /** Writes out what the process wrote since the last call (complete lines), giving it to the invocation. */
    void drainOutput() {
        pump.drainOutput();
    }

    /** After the process ended: the last lines, then no more polling. */
    void closeOutput() {
        pump.closeOutput();
    }

    /** The JVM's peak resident memory (VmHWM) in MB, where /proc tells it; -1 elsewhere. */
    long maxMemoryUsedMb() {
        Path status = Path.of("/proc", Long.toString(pid()), "status");
        try {
            // read once per invocation (REPORT): the bytes searched, not ~55 lines decoded into strings
            String text = new String(Files.readAllBytes(status), StandardCharsets.ISO_8859_1);
            int at = text.indexOf("VmHWM:");
            if (at >= 0) {
                int end = text.indexOf('\n', at);
                String kb = text.substring(at + "VmHWM:".length(), end < 0 ? text.length() : end).replace("kB", "")
                        .strip();
                lastMaxMemoryMb = Long.parseLong(kb) / 1024;
            }
        } catch (IOException | RuntimeException e) {
            // gone (then the last value read stands), or not Linux
        }
        return lastMaxMemoryMb;
    }

    void write(String line) {
        output.line(line);
    }

    /** Writes the last invocation's REPORT line, once its runtime is done with it. */
    void flushReport() {
        String report = pendingReport;
        if (report != null) {
            pendingReport = null;
            output.line(report);
        }
    }

    @Override
    public String toString() {
        return label + "[pid " + pid() + ", " + state + "]";
    }
}
