package dev.approvals.errors;

/**
 * The database could not be reached in time: Aurora resuming from auto-pause, a failover, a timeout
 * (HTTP 503 with Retry-After). Retrying later with the same idempotency key is safe: if an earlier attempt
 * did decide, the retry answers with that decision (a replay) instead of deciding again.
 */
public final class DecisionUnavailableException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    private final int retryAfterSeconds;

    public DecisionUnavailableException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
