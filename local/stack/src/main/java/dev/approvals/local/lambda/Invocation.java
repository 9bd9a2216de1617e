package dev.approvals.local.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** One invocation on its way through a function's queue and one execution environment. */
final class Invocation {

    /** Lines kept for {@code X-Amz-Log-Type: Tail}; Lambda returns the last 4 KB anyway. */
    private static final int MAX_LOG_LINES = 500;

    final String requestId;
    final InvokeRequest request;
    final CompletableFuture<InvocationResult> result = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final List<String> log = new ArrayList<>();

    volatile ExecutionEnvironment environment;
    volatile long startedNanos;
    volatile ScheduledFuture<?> watchdog;
    /** Set before the watchdog kills the environment: its exit is then the timeout, not a crash. */
    volatile boolean timingOut;

    Invocation(String requestId, InvokeRequest request) {
        this.requestId = requestId;
        this.request = request;
    }

    /** True exactly once: for whoever finishes it first (response, error, timeout, crash, shutdown). */
    boolean claimFinish() {
        return finished.compareAndSet(false, true);
    }

    boolean isFinished() {
        return finished.get();
    }

    synchronized void log(String line) {
        if (log.size() < MAX_LOG_LINES) {
            log.add(line);
        }
    }

    synchronized List<String> logLines() {
        return List.copyOf(log);
    }
}
