package dev.approvals.errors;

import java.util.UUID;

/**
 * The caller asked to approve its own request (HTTP 403 {@code self-approval}). Separation of duties: whoever
 * proposed an action may withdraw it (reject), never approve it. Final for this caller; another approver may.
 */
public final class SelfApprovalException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    private final UUID approvalId;

    public SelfApprovalException(UUID approvalId) {
        super("Approval " + approvalId + " was requested by the caller; another approver must approve it"
                + " (its requester may still reject it)");
        this.approvalId = approvalId;
    }

    public UUID approvalId() {
        return approvalId;
    }
}
