package dev.approvals.errors;

/**
 * Something unexpected went wrong (HTTP 500). The message carries only the request id; the cause is in the
 * function's log under that id. Whether the approval was decided is unknown: retrying with the same
 * idempotency key is safe and tells.
 */
public final class DecisionFailedException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    public DecisionFailedException(String requestId) {
        super("The decision failed unexpectedly; see the function log for request id " + requestId);
    }
}
