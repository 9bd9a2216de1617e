package dev.approvals.errors;

/**
 * The invocation came through an entry path that does not accept it (docs/security.md): each decision function is
 * invoked through its alias {@code http} by API Gateway only, with API Gateway's events, and through its alias
 * {@code workflow} by the state machine only, with the direct payload; anything else (the unqualified function,
 * {@code $LATEST}, another alias, or an event of the other path's shape) is refused before the event is read.
 */
public final class InvocationRefusedException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    public InvocationRefusedException(String message) {
        super(message);
    }
}
