package dev.approvals.workflow;

import dev.approvals.callback.CallbackOutcome;
import dev.approvals.callback.WorkflowCallbacks;
import dev.approvals.core.Approval;
import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.ApprovalStatus;
import dev.approvals.core.Proposal;
import dev.approvals.core.WorkflowStore;
import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalNotConfirmedException;
import dev.approvals.errors.ApprovalNotFoundException;
import dev.approvals.errors.DecisionUnavailableException;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The steps the approval workflow runs through the workflow function (docs/workflows.md). Each is idempotent: Step
 * Functions retries a step whose answer was lost, and a retry finds what the first attempt did.
 */
public final class WorkflowSteps {

    /** Who expires an approval nobody decided in time (the audit event's actor). */
    public static final String TIMEOUT_ACTOR = "workflow:approval-timeout";

    private final WorkflowStore store;
    private final WorkflowCallbacks callbacks;
    private final AutoApprovalPolicy policy;

    public WorkflowSteps(WorkflowStore store, WorkflowCallbacks callbacks, AutoApprovalPolicy policy) {
        this.store = Objects.requireNonNull(store, "store");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Records the proposal as a pending approval (a retry finds it recorded).
     *
     * @return whether the deployment's policy approves it without a person
     */
    public boolean propose(Proposal proposal, Instant deadline) {
        store.propose(proposal, deadline);
        return policy.approvesWithoutAPerson(proposal.actionType());
    }

    /** What {@link #await} did. */
    public enum AwaitOutcome {
        /** The token is stored: the winning decision will resume the workflow. */
        WAITING,
        /** The approval was already decided: the workflow was resumed with that decision at once. */
        RESUMED
    }

    /**
     * Starts waiting for a person: stores the task token while the approval is pending. When it is already decided
     * (a decision that came before this attempt, e.g. after an earlier attempt's answer was lost, called back a token
     * nobody waits on any more), resumes the workflow at once with that decision instead of leaving it waiting until
     * its deadline.
     *
     * @throws ApprovalExpiredException     the deadline passed first: the workflow goes on to expire it
     * @throws DecisionUnavailableException the callback could not be delivered; the step is retried with a new token
     */
    public AwaitOutcome await(UUID approvalId, String taskToken, Instant deadline) {
        if (store.attachTaskToken(approvalId, taskToken, deadline)) {
            return AwaitOutcome.WAITING;
        }
        ApprovalSnapshot now = read(approvalId, deadline);
        Approval approval = now.approval();
        if (approval.status() == ApprovalStatus.PENDING && !now.expired()) {
            // Only a competitor that locked the row and rolled back gets here: the step is safe to run again.
            throw new DecisionUnavailableException("Approval " + approvalId + " was being updated; retry", 1);
        }
        if (approval.status() == ApprovalStatus.PENDING || approval.status() == ApprovalStatus.EXPIRED) {
            throw new ApprovalExpiredException(approvalId, approval.version(), approval.status().wireName(),
                    approval.expiresAt());
        }
        CallbackOutcome outcome = callbacks.resume(approval.withTaskToken(taskToken));
        if (outcome == CallbackOutcome.FAILED) {
            throw new DecisionUnavailableException("Step Functions did not accept the callback; retry", 5);
        }
        return AwaitOutcome.RESUMED;
    }

    /**
     * Expires the approval if nobody decided it (the workflow stopped waiting), and answers with the approval as it
     * ended: expired, or the decision that came first, read again after the expiry statement so that a decision
     * which held the row lock while the expiry waited is seen, never overwritten and never reported as pending.
     */
    public Approval expire(UUID approvalId, String decisionKey, Instant deadline) {
        return store.expire(approvalId, TIMEOUT_ACTOR, decisionKey, deadline)
                .orElseGet(() -> read(approvalId, deadline).approval());
    }

    /**
     * The last check before the approved action: the approval, read now, is approved at the version the step that
     * resumed the workflow named.
     *
     * @throws ApprovalNotConfirmedException it is not (a forged or stale resume): the action must not run
     */
    public Approval confirm(UUID approvalId, int claimedVersion, Instant deadline) {
        Approval approval = read(approvalId, deadline).approval();
        if (approval.status() != ApprovalStatus.APPROVED || approval.version() != claimedVersion) {
            throw new ApprovalNotConfirmedException("Approval " + approvalId + " is " + approval.status().wireName()
                    + " at version " + approval.version() + ", not approved at version " + claimedVersion
                    + " as the workflow was told");
        }
        return approval;
    }

    private ApprovalSnapshot read(UUID approvalId, Instant deadline) {
        return store.read(approvalId, deadline).orElseThrow(() -> new ApprovalNotFoundException(approvalId));
    }
}
