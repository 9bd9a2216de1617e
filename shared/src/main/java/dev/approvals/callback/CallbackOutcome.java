package dev.approvals.callback;

/** What happened to a workflow callback; logged with the decision. */
public enum CallbackOutcome {
    /** The approval carries no task token: no workflow waits on it. */
    NOT_WAITED_ON,
    /** Step Functions accepted the callback. */
    DELIVERED,
    /** The task was already closed, timed out or unknown: the workflow moved on, the decision stands. */
    WORKFLOW_GONE,
    /** Step Functions could not be reached after retries; a retry with the same idempotency key sends it again. */
    FAILED
}
