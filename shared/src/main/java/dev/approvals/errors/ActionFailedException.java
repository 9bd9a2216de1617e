package dev.approvals.errors;

/**
 * The approved action was called and failed (docs/events.md, "The executor"). Its execution stays recorded as
 * failed: the action is not called again by a redelivery, so a retry is a person's decision (the action's own
 * idempotency key makes it safe).
 */
public final class ActionFailedException extends ApprovalException {

    private static final long serialVersionUID = 1L;

    public ActionFailedException(String message) {
        super(message);
    }
}
