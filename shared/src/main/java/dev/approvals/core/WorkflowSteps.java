package dev.approvals.core;

import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalNotConfirmedException;
import dev.approvals.errors.ApprovalNotFoundException;
import dev.approvals.errors.DecisionUnavailableException;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The steps the approval workflow runs through the workflow function (docs/workflows.md). Each is idempotent: Step
 * Functions retries a step whose answer was lost, and a retry finds what the first attempt did. Proposing and
 * reading are the same {@link ProposalService} and {@link ReadService} the HTTP routes use.
 */
public final class WorkflowSteps {

    /** Who expires an approval nobody decided in time (the audit event's actor). */
    public static final String TIMEOUT_ACTOR = "workflow:approval-timeout";

    private final ProposalService proposals;
    private final ReadService reads;
    private final WorkflowStore store;
    private final AutoApprovalPolicy policy;
    private final EventPublisher events;

    public WorkflowSteps(ProposalService proposals, ReadService reads, WorkflowStore store, AutoApprovalPolicy policy) {
        this(proposals, reads, store, policy, EventPublisher.NONE);
    }

    /** @param events where an expiry's {@code ApprovalExpired} is published once its statement committed */
    public WorkflowSteps(ProposalService proposals, ReadService reads, WorkflowStore store, AutoApprovalPolicy policy,
                         EventPublisher events) {
        this.proposals = Objects.requireNonNull(proposals, "proposals");
        this.reads = Objects.requireNonNull(reads, "reads");
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Records the proposal as a pending approval with the execution's approval id (a retry finds it recorded).
     *
     * @return whether the deployment's policy approves it without a person
     */
    public boolean propose(UUID approvalId, ProposalRequest request, Instant deadline) {
        proposals.propose(approvalId, request, deadline);
        return policy.approvesWithoutAPerson(request.actionType());
    }

    /** What {@link #await} found. */
    public sealed interface AwaitOutcome {
        /** The token is stored: the winning decision will resume the workflow. */
        record Waiting() implements AwaitOutcome {
        }

        /** The approval was already decided: the caller resumes the workflow with this decision at once. */
        record Decided(Approval approval) implements AwaitOutcome {
        }
    }

    /**
     * Starts waiting for a person: stores the task token while the approval is pending. When it is already decided
     * (a decision that came before this attempt, e.g. after an earlier attempt's answer was lost, called back a token
     * nobody waits on any more), answers that decision, so the workflow is resumed with it at once instead of
     * waiting until its deadline.
     *
     * @throws ApprovalExpiredException     the deadline passed first: the workflow goes on to expire it
     * @throws DecisionUnavailableException a competitor held the row and rolled back; the step is safe to retry
     */
    public AwaitOutcome await(UUID approvalId, String taskToken, Instant deadline) {
        if (store.attachTaskToken(approvalId, taskToken, deadline)) {
            return new AwaitOutcome.Waiting();
        }
        ApprovalSnapshot now = reads.read(approvalId, deadline);
        Approval approval = now.approval();
        if (approval.status() == ApprovalStatus.PENDING && !now.expired()) {
            // Only a competitor that locked the row and rolled back gets here: the step is safe to run again.
            throw new DecisionUnavailableException("Approval " + approvalId + " was being updated; retry", 1);
        }
        if (approval.status() == ApprovalStatus.PENDING || approval.status() == ApprovalStatus.EXPIRED) {
            throw new ApprovalExpiredException(approvalId, approval.version(), approval.status().wireName(),
                    approval.expiresAt());
        }
        return new AwaitOutcome.Decided(approval);
    }

    /**
     * Expires the approval if nobody decided it (the workflow stopped waiting), and answers with the approval as it
     * ended: expired, or the decision that came first, read again after the expiry statement so that a decision
     * which held the row lock while the expiry waited is seen, never overwritten and never reported as pending.
     *
     * @throws ApprovalNotFoundException no such approval
     */
    public Approval expire(UUID approvalId, String decisionKey, Instant deadline) {
        Optional<Approval> expired = store.expire(approvalId, TIMEOUT_ACTOR, decisionKey, deadline);
        expired.ifPresent(approval -> events.publish(List.of(ApprovalEvent.of(approval))));
        return expired.orElseGet(() -> reads.read(approvalId, deadline).approval());
    }

    /**
     * The last check before the approved action: the approval, read now, is approved at the version the step that
     * resumed the workflow named.
     *
     * @throws ApprovalNotConfirmedException it is not (a forged or stale resume): the action must not run
     */
    public Approval confirm(UUID approvalId, int claimedVersion, Instant deadline) {
        Approval approval = reads.read(approvalId, deadline).approval();
        if (approval.status() != ApprovalStatus.APPROVED || approval.version() != claimedVersion) {
            throw new ApprovalNotConfirmedException("Approval " + approvalId + " is " + approval.status().wireName()
                    + " at version " + approval.version() + ", not approved at version " + claimedVersion
                    + " as the workflow was told");
        }
        return approval;
    }
}
