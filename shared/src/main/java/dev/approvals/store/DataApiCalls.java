package dev.approvals.store;

import java.util.ArrayList;
import java.util.List;

/**
 * What one invocation's Data API statements cost, for its metrics: each statement's latency and how often the
 * database answered that it was resuming from auto-pause. Kept per thread because the runtime runs one invocation
 * at a time on one thread and the SDK client is synchronous; tests that share a handler across threads each get
 * their own tally.
 */
public final class DataApiCalls {

    private static final ThreadLocal<DataApiCalls> CURRENT = new ThreadLocal<>();

    private final List<Double> latenciesMs = new ArrayList<>(2);
    private int resumingWaits;

    private DataApiCalls() {
    }

    /** Starts the tally of the invocation running on this thread (replacing any earlier one). */
    public static DataApiCalls start() {
        DataApiCalls calls = new DataApiCalls();
        CURRENT.set(calls);
        return calls;
    }

    /** Ends the tally of this thread's invocation, so that statements outside an invocation are not counted. */
    public static void finish() {
        CURRENT.remove();
    }

    static void statement(long nanos) {
        DataApiCalls calls = CURRENT.get();
        if (calls != null) {
            calls.latenciesMs.add(Math.round(nanos / 10_000.0) / 100.0); // milliseconds, two decimals
        }
    }

    static void resumingWait() {
        DataApiCalls calls = CURRENT.get();
        if (calls != null) {
            calls.resumingWaits++;
        }
    }

    /** Each {@code ExecuteStatement} call's round trip, in milliseconds, in order (failed attempts included). */
    public List<Double> latenciesMs() {
        return latenciesMs;
    }

    /** How many times a statement was answered {@code DatabaseResumingException} (each followed by a wait or a 503). */
    public int resumingWaits() {
        return resumingWaits;
    }
}
