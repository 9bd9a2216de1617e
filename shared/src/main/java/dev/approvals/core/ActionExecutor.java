package dev.approvals.core;

import dev.approvals.errors.ActionFailedException;
import dev.approvals.errors.ApprovalNotConfirmedException;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs an approved action exactly once however often its decision arrives (docs/events.md, "The executor"): the
 * execution is recorded before the action is called, and only the call that recorded it calls the action. Every
 * path that acts on an approval (the {@code ApprovalDecided} rule, the workflow's last step) goes through here.
 */
public final class ActionExecutor {

    private final ExecutionStore store;
    private final ApprovedAction action;

    public ActionExecutor(ExecutionStore store, ApprovedAction action) {
        this.store = Objects.requireNonNull(store, "store");
        this.action = Objects.requireNonNull(action, "action");
    }

    /** What one delivery did. */
    public enum Outcome {
        /** This delivery ran the action, and it succeeded. */
        EXECUTED,
        /** An earlier delivery ran it (or is running it): nothing was done. */
        ALREADY_EXECUTED
    }

    /**
     * @param executor who claims it, recorded (the action's name and the invocation's request id)
     * @throws ApprovalNotConfirmedException the approval is not approved at that version: nothing runs
     * @throws ActionFailedException         this delivery ran the action and it failed (recorded as failed)
     */
    public Outcome execute(UUID approvalId, int version, String executor, Instant deadline) {
        ExecutionStore.Claim claim = store.claim(approvalId, version, action.name() + " " + executor, deadline);
        if (claim instanceof ExecutionStore.Claim.AlreadyClaimed) {
            return Outcome.ALREADY_EXECUTED;
        }
        if (!(claim instanceof ExecutionStore.Claim.Claimed claimed)) {
            throw new ApprovalNotConfirmedException("Approval " + approvalId + " is not approved at version "
                    + version + ": its action does not run");
        }
        String detail;
        try {
            detail = action.perform(claimed.approval());
        } catch (RuntimeException failure) {
            String why = failure instanceof ActionFailedException known ? known.getMessage()
                    : failure.getClass().getSimpleName();
            store.finish(approvalId, false, why, deadline);
            throw failure instanceof ActionFailedException known ? known : new ActionFailedException(
                    "The action of approval " + approvalId + " failed: " + why);
        }
        store.finish(approvalId, true, detail, deadline);
        return Outcome.EXECUTED;
    }
}
