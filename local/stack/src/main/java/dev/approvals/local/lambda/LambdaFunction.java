package dev.approvals.local.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Lambda function on this machine: a pool of execution environments (JVMs under the Runtime Interface Client),
 * each serving one invocation at a time. Like Lambda, the pool starts environments when every one is busy (a cold
 * start, reported as Init Duration), up to {@link PoolSettings#maxEnvironments()}; unlike Lambda, invocations beyond
 * that wait in a queue instead of being throttled. A timed-out invocation kills its environment, which is then
 * replaced; so is one that crashed.
 *
 * <pre>{@code
 * LambdaFunction function = LambdaFunction.start(spec, PoolSettings.of(1, 2), runtime, timers, scratch, log);
 * InvocationResult result = function.invoke(InvokeRequest.of(payload, spec.arn())).get();
 * }</pre>
 */
public final class LambdaFunction implements AutoCloseable {

    /** An environment as the banner and tests see it. */
    public record EnvironmentInfo(String label, long pid, String state, double initDurationMs, int invocations) {
    }

    private final FunctionSpec spec;
    private final PoolSettings settings;
    private final LambdaRuntimeLibrary runtime;
    private final ScheduledExecutorService timers;
    private final Path scratch;
    private final LogSink output;
    private final LogSink stackLog;
    private final LinkedBlockingDeque<Invocation> queue = new LinkedBlockingDeque<>();
    private final Set<ExecutionEnvironment> environments = ConcurrentHashMap.newKeySet();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger coldStarts = new AtomicInteger();
    private volatile boolean closed;

    private LambdaFunction(FunctionSpec spec, PoolSettings settings, LambdaRuntimeLibrary runtime,
                           ScheduledExecutorService timers, Path scratch, LogSink output) {
        this.spec = spec;
        this.settings = settings;
        this.runtime = runtime;
        this.timers = timers;
        this.scratch = scratch;
        this.output = output;
        this.stackLog = output.prefixed(spec.name());
    }

    /**
     * Starts {@link PoolSettings#minEnvironments()} environments and waits until each has initialised.
     *
     * @throws FunctionInitException when one fails its init (its error is in the message)
     */
    public static LambdaFunction start(FunctionSpec spec, PoolSettings settings, LambdaRuntimeLibrary runtime,
                                       ScheduledExecutorService timers, Path scratch, LogSink output) {
        LambdaFunction function = new LambdaFunction(spec, settings, runtime, timers, scratch, output);
        List<ExecutionEnvironment> warm = new ArrayList<>();
        for (int i = 0; i < settings.minEnvironments(); i++) {
            warm.add(function.spawn(null));
        }
        try {
            for (ExecutionEnvironment environment : warm) {
                environment.ready.get(settings.initTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            function.close();
            throw e.getCause() instanceof FunctionInitException init ? init
                    : new FunctionInitException(spec.name(), e.getCause().toString());
        } catch (TimeoutException e) {
            function.close();
            throw new FunctionInitException(spec.name(), "no environment initialised within " + settings.initTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            function.close();
            throw new FunctionInitException(spec.name(), "interrupted while starting");
        }
        return function;
    }

    public FunctionSpec spec() {
        return spec;
    }

    public PoolSettings settings() {
        return settings;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    /** Queues one invocation; the future completes with its result (function errors included). */
    public CompletableFuture<InvocationResult> invoke(InvokeRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException(spec.name() + " is stopped"));
        }
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), request);
        queue.add(invocation);
        scale();
        return invocation.result;
    }

    /** The environments now, oldest first. */
    public List<EnvironmentInfo> environments() {
        return environments.stream().sorted(Comparator.comparingInt(e -> e.index))
                .map(e -> new EnvironmentInfo(e.label, e.pid(), e.state.name(), e.initDurationMs, e.invocations))
                .toList();
    }

    /** Process ids of the running environments. */
    public List<Long> pids() {
        return environments.stream().map(ExecutionEnvironment::pid).filter(pid -> pid > 0).toList();
    }

    /** Environments started so far, replacements included. */
    public int coldStarts() {
        return coldStarts.get();
    }

    /** Stops every environment (SIGTERM, then SIGKILL after 3 s) and fails what is still queued. */
    @Override
    public void close() {
        closed = true;
        Invocation waiting;
        while ((waiting = queue.pollFirst()) != null) {
            if (waiting.claimFinish()) {
                waiting.result.completeExceptionally(new IllegalStateException(spec.name() + " stopped"));
            }
        }
        List<ExecutionEnvironment> all = List.copyOf(environments);
        all.forEach(ExecutionEnvironment::stop);
        all.forEach(e -> e.awaitExit(3_000));
        all.forEach(ExecutionEnvironment::stopRuntimeApi);
    }

    // ---- called by the environments ---------------------------------------------------------------------------

    /** Blocks until there is an invocation for this environment; null once it or the function is stopping. */
    Invocation takeNext(ExecutionEnvironment environment) {
        idle.incrementAndGet();
        try {
            while (environment.isAlive()) {
                if (closed) {
                    // hold the runtime's poll open until its process is gone, as a sandbox being shut down does
                    // (an answer would only make the runtime log an error on its way out)
                    Thread.sleep(100);
                    continue;
                }
                Invocation invocation = queue.pollFirst(200, TimeUnit.MILLISECONDS);
                if (invocation == null || invocation.isFinished()) {
                    continue;
                }
                if (closed || !environment.isAlive()) {
                    queue.addFirst(invocation);
                    return null;
                }
                return invocation;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            idle.decrementAndGet();
        }
    }

    void requeue(Invocation invocation) {
        queue.addFirst(invocation);
        scale();
    }

    void ready(ExecutionEnvironment environment) {
        environment.write(String.format(Locale.ROOT, "ready: Init Duration %.2f ms (pid %d)",
                environment.initDurationMs, environment.pid()));
        environment.ready.complete(environment);
    }

    void started(ExecutionEnvironment environment, Invocation invocation, long timeoutMillis) {
        if (invocation.isFinished()) {
            return;
        }
        invocation.watchdog = timers.schedule(() -> timedOut(environment, invocation), timeoutMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Completes an invocation once (the first caller wins) and writes Lambda's REPORT line.
     *
     * @param errorType null for a success; otherwise the payload is an error payload
     * @param status    null, {@code timeout} or {@code error}: REPORT's Status field for platform failures
     */
    void finish(ExecutionEnvironment environment, Invocation invocation, byte[] payload, String errorType,
                String status) {
        if (!invocation.claimFinish()) {
            return;
        }
        if (invocation.watchdog != null) {
            invocation.watchdog.cancel(false);
        }
        double durationMs = invocation.startedNanos == 0 ? 0 : (System.nanoTime() - invocation.startedNanos) / 1e6;
        String report = report(environment, invocation, durationMs, status, errorType);
        if (environment == null) {
            stackLog.line(report);
        } else if (status != null) {
            environment.write(report);
        } else {
            // as on Lambda, REPORT follows what the runtime still logs about this invocation (the RIC logs a
            // thrown exception after posting it): written when the runtime asks for its next invocation
            environment.pendingReport = report;
        }
        invocation.log(report);
        invocation.result.complete(new InvocationResult(invocation.requestId, payload, Optional.ofNullable(errorType),
                durationMs, invocation.logLines()));
    }

    private void timedOut(ExecutionEnvironment environment, Invocation invocation) {
        if (invocation.isFinished()) {
            return;
        }
        environment.maxMemoryUsedMb(); // read while the process is there; REPORT uses the last value
        invocation.timingOut = true; // the exit this kill causes must not answer Runtime.ExitError first
        environment.kill();
        environment.drainOutput();
        String seconds = String.format(Locale.ROOT, "%.2f", spec.timeout().toMillis() / 1000.0);
        finish(environment, invocation, LambdaErrors.payload("Sandbox.Timedout", "RequestId: " + invocation.requestId
                + " Error: Task timed out after " + seconds + " seconds"), "Sandbox.Timedout", "timeout");
        environment.write("killed: the invocation timed out after " + seconds + " s (Timeout); replacing it");
    }

    /** The process ended: fail what it was doing, then replace it if it had been healthy. */
    void exited(ExecutionEnvironment environment, int exitCode) {
        environment.closeOutput();
        environment.flushReport();
        boolean initialised = environment.state == ExecutionEnvironment.State.READY;
        environment.state = ExecutionEnvironment.State.DEAD;
        environments.remove(environment);
        environment.stopRuntimeApi();
        Invocation invocation = environment.current;
        environment.current = null;
        if (invocation != null && !invocation.isFinished() && !invocation.timingOut) {
            finish(environment, invocation, LambdaErrors.payload("Runtime.ExitError", "RequestId: "
                    + invocation.requestId + " Error: Runtime exited with error: exit status " + exitCode),
                    "Runtime.ExitError", "error");
        }
        if (!initialised) {
            String body = environment.initErrorBody != null ? environment.initErrorBody
                    : new String(LambdaErrors.payload("Runtime.ExitError",
                    "Runtime exited during init with error: exit status " + exitCode), StandardCharsets.UTF_8);
            FunctionInitException failure = new FunctionInitException(spec.name(), body);
            environment.ready.completeExceptionally(failure);
            if (!closed && !stoppedBySignal(exitCode)) {
                environment.write("init failed (exit status " + exitCode + "): " + body);
                // Lambda answers the invocation that waited on this cold start with the init error; if another
                // environment has taken it meanwhile, nobody was waiting on this one, and nothing fails
                Invocation waiting = environment.startedFor;
                if (waiting != null && queue.remove(waiting)) {
                    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
                    finish(null, waiting, payload, LambdaErrors.errorType(payload).orElse("Runtime.ExitError"),
                            "error");
                }
            }
        } else if (!closed && !environment.killedOnPurpose && stoppedBySignal(exitCode)) {
            // SIGINT/SIGTERM from outside (Ctrl-C reaches the whole process group): the stack is stopping
            return;
        } else if (!closed && !environment.killedOnPurpose) {
            environment.write("exited unexpectedly (exit status " + exitCode + "); replacing it");
        }
        if (!closed) {
            replace(initialised);
        }
    }

    /**
     * Keeps the warm minimum after an environment ended, then scales for what waits. Checked and spawned under
     * {@link #scale()}'s lock: an invocation arriving in between would otherwise start an environment of its own
     * beside the replacement, one more than the maximum.
     */
    private synchronized void replace(boolean initialised) {
        if (initialised && environments.size() < settings.minEnvironments()) {
            spawn(null);
        }
        scale();
    }

    /** A JVM ended by SIGINT (Ctrl-C) or SIGTERM exits with 128 + the signal number. */
    private static boolean stoppedBySignal(int exitCode) {
        return exitCode == 130 || exitCode == 143;
    }

    // ---- scaling ------------------------------------------------------------------------------------------------

    /**
     * Starts environments while invocations wait and no environment is free or starting, up to the maximum. Each
     * is started for the newest waiting invocation that no starting environment is already for: the one whose
     * arrival left the pool short, and the one its init error goes to.
     */
    private synchronized void scale() {
        if (closed) {
            return;
        }
        List<ExecutionEnvironment> starting = environments.stream()
                .filter(e -> e.state == ExecutionEnvironment.State.STARTING).toList();
        Set<Invocation> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        starting.forEach(e -> claimed.add(e.startedFor));
        int total = environments.size();
        int startingCount = starting.size();
        while (queue.size() > idle.get() + startingCount && total < settings.maxEnvironments()) {
            Invocation waiting = null;
            for (var newestFirst = queue.descendingIterator(); newestFirst.hasNext() && waiting == null; ) {
                Invocation candidate = newestFirst.next();
                waiting = claimed.add(candidate) ? candidate : null;
            }
            spawn(waiting);
            startingCount++;
            total++;
        }
    }

    /** @param startedFor the invocation that waits on this cold start; null for environments kept warm */
    private synchronized ExecutionEnvironment spawn(Invocation startedFor) {
        ExecutionEnvironment environment = new ExecutionEnvironment(this, counter.incrementAndGet(), output);
        environment.startedFor = startedFor;
        environments.add(environment);
        coldStarts.incrementAndGet();
        try {
            environment.launch(runtime, scratch);
        } catch (IOException | RuntimeException e) {
            environments.remove(environment);
            environment.state = ExecutionEnvironment.State.DEAD;
            FunctionInitException failure = new FunctionInitException(spec.name(), "cannot start a JVM: " + e);
            environment.ready.completeExceptionally(failure);
            stackLog.line("cannot start an execution environment: " + e);
            return environment;
        }
        long initMillis = settings.initTimeout().toMillis();
        timers.schedule(() -> {
            if (environment.state == ExecutionEnvironment.State.STARTING && environment.isAlive()) {
                environment.initErrorBody = new String(LambdaErrors.payload("Runtime.InitTimeout",
                        "Init did not complete within " + initMillis + " ms"), StandardCharsets.UTF_8);
                environment.kill();
            }
        }, initMillis, TimeUnit.MILLISECONDS);
        return environment;
    }

    private String report(ExecutionEnvironment environment, Invocation invocation, double durationMs,
                          String status, String errorType) {
        StringBuilder line = new StringBuilder("REPORT RequestId: ").append(invocation.requestId);
        line.append(String.format(Locale.ROOT, "\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB",
                durationMs, (long) Math.ceil(durationMs), spec.memorySizeMb()));
        long memory = environment == null ? -1 : environment.maxMemoryUsedMb();
        if (memory >= 0) {
            line.append("\tMax Memory Used: ").append(memory).append(" MB");
        }
        if (environment != null && !environment.initReported && !Double.isNaN(environment.initDurationMs)) {
            environment.initReported = true;
            line.append(String.format(Locale.ROOT, "\tInit Duration: %.2f ms", environment.initDurationMs));
        }
        if (status != null) {
            line.append("\tStatus: ").append(status);
            if (status.equals("error") && errorType != null) {
                line.append("\tError Type: ").append(errorType);
            }
        }
        return line.toString();
    }

    @Override
    public String toString() {
        return "LambdaFunction[" + spec.name() + ", " + environments.size() + " environments]";
    }
}
