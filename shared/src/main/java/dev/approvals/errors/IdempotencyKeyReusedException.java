package dev.approvals.errors;

import java.util.UUID;

/**
 * The idempotency key already decided this approval the other way: the same key cannot approve and reject
 * (HTTP 422). Retrying with the same key will always give this answer.
 */
public final class IdempotencyKeyReusedException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    private final UUID approvalId;
    private final String currentStatus;

    public IdempotencyKeyReusedException(UUID approvalId, String currentStatus) {
        super("This idempotency key already decided approval " + approvalId + " as " + currentStatus
                + "; use a new key for a different decision");
        this.approvalId = approvalId;
        this.currentStatus = currentStatus;
    }

    public UUID approvalId() {
        return approvalId;
    }

    public String currentStatus() {
        return currentStatus;
    }
}
