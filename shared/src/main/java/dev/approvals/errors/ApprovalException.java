package dev.approvals.errors;

/**
 * Base of every answer the functions throw on the direct-invocation path. Step Functions matches the concrete
 * class name, never this one; it exists so Java callers can catch them all.
 */
public abstract class ApprovalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected ApprovalException(String message) {
        // No suppression, no stack trace: the message is the whole answer and nothing internal leaks.
        super(message, null, false, false);
    }
}
