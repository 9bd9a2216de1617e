package dev.approvals.errors;

import java.time.Instant;
import java.util.UUID;

/** Someone else already approved or rejected this approval (HTTP 409, conflict "already-decided"). */
public final class ApprovalAlreadyDecidedException extends ApprovalConflictException {
    private static final long serialVersionUID = 1L;

    private final String decidedBy;
    private final Instant decidedAt;

    public ApprovalAlreadyDecidedException(UUID approvalId, int currentVersion, String currentStatus,
                                           String decidedBy, Instant decidedAt) {
        super("Approval " + approvalId + " is already " + currentStatus + " (version " + currentVersion + ")",
                approvalId, currentVersion, currentStatus);
        this.decidedBy = decidedBy;
        this.decidedAt = decidedAt;
    }

    public String decidedBy() {
        return decidedBy;
    }

    public Instant decidedAt() {
        return decidedAt;
    }
}
