package dev.approvals.errors;

import java.util.UUID;

/**
 * The caller's idempotency key already created an approval for a different request (HTTP 422). Retrying with the
 * same key and this request will always give this answer; use a new key for a new proposal.
 */
public final class ProposalKeyReusedException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    private final UUID approvalId;

    public ProposalKeyReusedException(UUID approvalId) {
        super("This idempotency key already proposed approval " + approvalId
                + " with a different request; use a new key for a new proposal");
        this.approvalId = approvalId;
    }

    public UUID approvalId() {
        return approvalId;
    }
}
