package dev.approvals.errors;

/**
 * The error a waiting workflow receives when its approval is rejected: the reject function closes the workflow's
 * {@code .waitForTaskToken} task with {@code SendTaskFailure}, error = this class's name, cause = the reason.
 * A state machine catches it by that name. The functions never throw it.
 */
public final class ApprovalRejectedException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    /** The {@code Error} a rejected approval's workflow task fails with. */
    public static final String ERROR_NAME = ApprovalRejectedException.class.getName();

    public ApprovalRejectedException(String reason) {
        super(reason);
    }
}
