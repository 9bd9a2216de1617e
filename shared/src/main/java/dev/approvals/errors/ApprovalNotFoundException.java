package dev.approvals.errors;

import java.util.UUID;

/** No approval has this id (HTTP 404). */
public final class ApprovalNotFoundException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    private final UUID approvalId;

    public ApprovalNotFoundException(UUID approvalId) {
        super("Approval " + approvalId + " does not exist");
        this.approvalId = approvalId;
    }

    public UUID approvalId() {
        return approvalId;
    }
}
