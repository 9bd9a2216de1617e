package dev.approvals.errors;

import java.util.UUID;

/**
 * The approval exists but cannot be decided as asked. The concrete subclasses say why; each carries the
 * approval's current version and status so a caller can refresh and decide again if that still makes sense.
 */
public abstract class ApprovalConflictException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    private final UUID approvalId;
    private final int currentVersion;
    private final String currentStatus;

    protected ApprovalConflictException(String message, UUID approvalId, int currentVersion, String currentStatus) {
        super(message);
        this.approvalId = approvalId;
        this.currentVersion = currentVersion;
        this.currentStatus = currentStatus;
    }

    public UUID approvalId() {
        return approvalId;
    }

    public int currentVersion() {
        return currentVersion;
    }

    public String currentStatus() {
        return currentStatus;
    }
}
