package dev.approvals.callback;

import dev.approvals.core.Approval;

/**
 * Resumes the workflow waiting on an approval, if one is: called after a winning decision and after its replays,
 * never after a refusal, so a workflow resumes once however many people click.
 */
public interface WorkflowCallbacks {

    /** For functions and tests that have no workflow to resume. */
    WorkflowCallbacks NONE = approval -> CallbackOutcome.NOT_WAITED_ON;

    /** Never throws: the decision stands whatever happens to the callback. */
    CallbackOutcome resume(Approval approval);
}
