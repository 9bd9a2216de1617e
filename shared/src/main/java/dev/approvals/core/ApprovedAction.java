package dev.approvals.core;

import dev.approvals.errors.ActionFailedException;

/**
 * What runs once an approval is approved (docs/events.md, "The executor"): the pluggable part of the executor. The
 * executor calls it at most once per approval, after recording the execution; an implementation that reaches another
 * system should still pass the approval id along as an idempotency key, so a person's retry after a failure is safe.
 */
public interface ApprovedAction {

    /** Recorded with the execution: which action ran. */
    String name();

    /**
     * Performs the action for an approval the database confirmed approved.
     *
     * @return a short, non-secret detail to record (an HTTP status, "logged")
     * @throws ActionFailedException the action did not succeed
     */
    String perform(Approval approval);
}
