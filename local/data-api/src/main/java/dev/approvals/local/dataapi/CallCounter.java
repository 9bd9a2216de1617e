package dev.approvals.local.dataapi;

import java.util.Map;

import dev.approvals.local.dataapi.internal.Calls;

/**
 * Counts the Data API calls the emulator received, per operation name ({@code "ExecuteStatement"},
 * {@code "BatchExecuteStatement"}, {@code "BeginTransaction"}, {@code "CommitTransaction"},
 * {@code "RollbackTransaction"}, {@code "ExecuteSql"}). Every attempt counts, so SDK retries show up; calls that
 * failed (validation, faults, SQL errors) count too.
 */
public final class CallCounter {

    private final Calls calls;

    CallCounter(Calls calls) {
        this.calls = calls;
    }

    /** Calls of {@code operation} since the start or the last {@link #reset()}. */
    public long count(String operation) {
        return calls.count(operation);
    }

    /** All calls since the start or the last {@link #reset()}. */
    public long total() {
        return calls.total();
    }

    /** The non-zero counters, sorted by operation name. */
    public Map<String, Long> snapshot() {
        return calls.snapshot();
    }

    public void reset() {
        calls.reset();
    }

    @Override
    public String toString() {
        return "CallCounter" + snapshot();
    }
}
