package dev.approvals.local.dataapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.approvals.local.dataapi.internal.ErrorType;
import dev.approvals.local.dataapi.internal.Faults;
import dev.approvals.local.dataapi.internal.Operation;

/**
 * Makes the emulator misbehave the way Aurora and the Data API do, for the next N calls.
 *
 * <p>Each call takes at most one fault: the first armed one (in arming order) that applies to its operation.
 * Without named operations, a fault applies to the operations whose service model lists that error:
 * resuming to ExecuteStatement, BatchExecuteStatement and BeginTransaction; unavailable and injected errors to
 * those plus CommitTransaction and RollbackTransaction; statement timeouts to ExecuteStatement and
 * BatchExecuteStatement. Operation names are those of {@link CallCounter}. Faults are taken after the request is
 * validated, so a malformed request does not use one up. {@link #forSecret} narrows faults to one caller's calls.
 */
public final class FaultInjector {

    private final Faults faults;
    private final String secretArn;

    FaultInjector(Faults faults) {
        this(faults, null);
    }

    private FaultInjector(Faults faults, String secretArn) {
        this.faults = faults;
        this.secretArn = secretArn;
    }

    /**
     * An injector whose faults apply only to calls made with {@code secretArn} (a function's database role, say), so
     * that other callers of a shared emulator (a scheduled sweep, event consumers) cannot take them. Its latency and
     * {@link #clear()} still act on every call.
     */
    public FaultInjector forSecret(String secretArn) {
        return new FaultInjector(faults, java.util.Objects.requireNonNull(secretArn, "secretArn"));
    }

    /** {@code DatabaseResumingException} (HTTP 400, not retried by the SDK) instead of the next {@code calls} calls. */
    public FaultInjector resumingForNextCalls(int calls, String... operations) {
        return arm(Faults.Kind.RESUMING, null, calls, operations);
    }

    /** {@code DatabaseUnavailableException} (HTTP 504, retried by the SDK) before anything runs. */
    public FaultInjector unavailableBeforeExecuteForNextCalls(int calls, String... operations) {
        return arm(Faults.Kind.UNAVAILABLE_BEFORE_EXECUTE, null, calls, operations);
    }

    /**
     * The call runs and commits, then its response is replaced by {@code DatabaseUnavailableException} (504): the
     * answer is lost and the SDK retries a call whose effect is already committed.
     */
    public FaultInjector unavailableAfterCommitForNextCalls(int calls, String... operations) {
        return arm(Faults.Kind.UNAVAILABLE_AFTER_COMMIT, null, calls, operations);
    }

    /**
     * The statement is cancelled by a real PostgreSQL statement timeout: {@code StatementTimeoutException} with the
     * backend pid as {@code dbConnectionId}; inside a transaction the transaction is left aborted, as on AWS.
     */
    public FaultInjector statementTimeoutForNextCalls(int calls, String... operations) {
        return arm(Faults.Kind.STATEMENT_TIMEOUT, null, calls, operations);
    }

    /**
     * Any error shape instead of the call, e.g. {@code "ServiceUnavailableError"}, {@code "AccessDeniedException"},
     * {@code "InternalServerErrorException"}, with the shape's HTTP status.
     */
    public FaultInjector errorForNextCalls(int calls, String errorType, String... operations) {
        return arm(Faults.Kind.ERROR, ErrorType.parse(errorType), calls, operations);
    }

    /** Adds {@code latency} to every Data API call ({@link Duration#ZERO} to stop). */
    public FaultInjector latency(Duration latency) {
        faults.latency(latency, latency);
        return this;
    }

    /** Adds a latency drawn uniformly between {@code min} and {@code max} to every Data API call. */
    public FaultInjector latency(Duration min, Duration max) {
        faults.latency(min, max);
        return this;
    }

    /** Disarms every fault and removes the latency. */
    public FaultInjector clear() {
        faults.clear();
        return this;
    }

    /** The calls the armed faults will still affect, in total. */
    public int pending() {
        return faults.armed().stream().mapToInt(Faults.Armed::remaining).sum();
    }

    private FaultInjector arm(Faults.Kind kind, ErrorType error, int calls, String... operations) {
        List<Operation> ops = new ArrayList<>();
        for (String operation : operations) {
            ops.add(Operation.named(operation));
        }
        faults.arm(kind, error, calls, ops, secretArn);
        return this;
    }

    @Override
    public String toString() {
        return "FaultInjector" + faults.armed();
    }
}
