package dev.approvals.local.dataapi.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The armed faults. Each Data API call takes at most one: the first armed fault, in arming order, that still has
 * calls left and applies to the call's operation. Latency is added to every Data API call.
 */
public final class Faults {

    /** What a fault does to the call that takes it. */
    public enum Kind {
        /** {@code DatabaseResumingException} (400) instead of running the call. */
        RESUMING(EnumSet.of(Operation.ExecuteStatement, Operation.BatchExecuteStatement, Operation.BeginTransaction)),
        /** {@code DatabaseUnavailableException} (504) instead of running the call. */
        UNAVAILABLE_BEFORE_EXECUTE(EnumSet.range(Operation.ExecuteStatement, Operation.RollbackTransaction)),
        /** The call runs (and commits, when it commits) but its response is replaced by a 504: the answer is lost. */
        UNAVAILABLE_AFTER_COMMIT(EnumSet.range(Operation.ExecuteStatement, Operation.RollbackTransaction)),
        /** The statement is cancelled by a real PostgreSQL statement timeout: {@code StatementTimeoutException}. */
        STATEMENT_TIMEOUT(EnumSet.of(Operation.ExecuteStatement, Operation.BatchExecuteStatement)),
        /** Any error type, instead of running the call. */
        ERROR(EnumSet.range(Operation.ExecuteStatement, Operation.RollbackTransaction));

        private final Set<Operation> defaultOperations;

        Kind(Set<Operation> defaultOperations) {
            this.defaultOperations = defaultOperations;
        }

        /** The operations the fault applies to when none are named: those whose model lists the error. */
        public Set<Operation> defaultOperations() {
            return defaultOperations;
        }
    }

    /** A fault as armed, with the number of calls it still applies to. */
    public record Armed(Kind kind, ErrorType error, Set<Operation> operations, String secretArn, int remaining) {
    }

    private static final class Slot {
        final Kind kind;
        final ErrorType error;
        final Set<Operation> operations;
        final String secretArn;
        int remaining;

        Slot(Kind kind, ErrorType error, Set<Operation> operations, String secretArn, int remaining) {
            this.kind = kind;
            this.error = error;
            this.operations = operations;
            this.secretArn = secretArn;
            this.remaining = remaining;
        }

        boolean appliesTo(Operation operation, String callersSecretArn) {
            return operations.contains(operation) && (secretArn == null || secretArn.equals(callersSecretArn));
        }

        Armed armed() {
            return new Armed(kind, error, operations, secretArn, remaining);
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private volatile Duration latencyMin = Duration.ZERO;
    private volatile Duration latencyMax = Duration.ZERO;

    /**
     * Arms {@code kind} for the next {@code count} calls of {@code operations} (empty: the kind's defaults) made
     * with {@code secretArn} (null: any caller).
     */
    public synchronized void arm(Kind kind, ErrorType error, int count, Collection<Operation> operations,
                                 String secretArn) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (kind == Kind.ERROR && error == null) {
            throw new IllegalArgumentException("an ERROR fault needs an error type");
        }
        Set<Operation> ops = operations == null || operations.isEmpty() ? kind.defaultOperations()
                : EnumSet.copyOf(operations);
        if (count > 0) {
            slots.add(new Slot(kind, error, ops, secretArn, count));
        }
    }

    /** Takes the fault for one call of {@code operation} made with {@code secretArn}, or null. */
    public synchronized Armed next(Operation operation, String secretArn) {
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.appliesTo(operation, secretArn)) {
                slot.remaining--;
                if (slot.remaining == 0) {
                    slots.remove(i);
                }
                return slot.armed();
            }
        }
        return null;
    }

    public synchronized List<Armed> armed() {
        return slots.stream().map(Slot::armed).toList();
    }

    /** Removes every armed fault and the latency. */
    public synchronized void clear() {
        slots.clear();
        latencyMin = Duration.ZERO;
        latencyMax = Duration.ZERO;
    }

    /** Adds a latency drawn uniformly from [min, max] to every Data API call. */
    public void latency(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
        }
        latencyMax = max;
        latencyMin = min;
    }

    public Duration latencyMin() {
        return latencyMin;
    }

    public Duration latencyMax() {
        return latencyMax;
    }

    /** Sleeps for the configured latency. */
    public void applyLatency() throws InterruptedException {
        long min = latencyMin.toNanos();
        long max = latencyMax.toNanos();
        if (max <= 0) {
            return;
        }
        long nanos = max == min ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
        Thread.sleep(Duration.ofNanos(nanos));
    }
}
