package dev.approvals.core;

/** What a decider asks for; each function makes exactly one kind. */
public enum Decision {
    APPROVE(ApprovalStatus.APPROVED),
    REJECT(ApprovalStatus.REJECTED);

    private final ApprovalStatus targetStatus;

    Decision(ApprovalStatus targetStatus) {
        this.targetStatus = targetStatus;
    }

    public ApprovalStatus targetStatus() {
        return targetStatus;
    }
}
