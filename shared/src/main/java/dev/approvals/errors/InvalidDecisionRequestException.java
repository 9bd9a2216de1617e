package dev.approvals.errors;

/**
 * The request is malformed: a missing or ill-typed field, an unknown field, a value out of range (HTTP 400).
 * Nothing was changed. Retrying the same request will always give this answer.
 */
public final class InvalidDecisionRequestException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    public InvalidDecisionRequestException(String message) {
        super(message);
    }
}
