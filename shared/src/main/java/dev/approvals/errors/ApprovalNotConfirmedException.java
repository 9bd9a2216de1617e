package dev.approvals.errors;

/**
 * A workflow was resumed as approved, but the approval is not approved at the version the resume named (a forged or
 * stale {@code SendTaskSuccess}, or a row changed since). The workflow stops before the approved action.
 */
public final class ApprovalNotConfirmedException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    public ApprovalNotConfirmedException(String message) {
        super(message);
    }
}
