package dev.approvals.errors;

import java.time.Instant;
import java.util.UUID;

/** The approval's deadline passed before anyone decided it; it can no longer be decided (HTTP 409, "expired"). */
public final class ApprovalExpiredException extends ApprovalConflictException {
    private static final long serialVersionUID = 1L;

    private final Instant expiresAt;

    public ApprovalExpiredException(UUID approvalId, int currentVersion, String currentStatus, Instant expiresAt) {
        super("Approval " + approvalId + " expired" + (expiresAt == null ? "" : " at " + expiresAt),
                approvalId, currentVersion, currentStatus);
        this.expiresAt = expiresAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
