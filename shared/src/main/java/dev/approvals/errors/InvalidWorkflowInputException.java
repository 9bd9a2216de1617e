package dev.approvals.errors;

/**
 * A workflow execution's input is malformed: a missing or ill-typed field, a field the requester may not set, a
 * value out of range. The message names the field. Nothing was recorded; the same input always fails the same way,
 * so the state machine never retries it.
 */
public final class InvalidWorkflowInputException extends ApprovalException {
    private static final long serialVersionUID = 1L;

    public InvalidWorkflowInputException(String message) {
        super(message);
    }
}
