package dev.approvals.errors;

import java.util.UUID;

/** The approval is still pending but at another version than the caller expected (HTTP 409, "version-conflict"). */
public final class ApprovalVersionConflictException extends ApprovalConflictException {
    private static final long serialVersionUID = 1L;

    private final long expectedVersion;

    public ApprovalVersionConflictException(UUID approvalId, long expectedVersion, int currentVersion) {
        super("Approval " + approvalId + " is at version " + currentVersion + ", not " + expectedVersion,
                approvalId, currentVersion, "pending");
        this.expectedVersion = expectedVersion;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}
