package dev.approvals.core;

import dev.approvals.errors.ApprovalAlreadyDecidedException;
import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalVersionConflictException;
import dev.approvals.errors.IdempotencyKeyReusedException;
import dev.approvals.errors.SelfApprovalException;

/**
 * What {@link DecisionService} answers for a row it did not win. A class of its own so that a cold start whose
 * first decision wins never loads the refusals' exception classes (the verifier loads every class a method
 * throws when it loads the method's class).
 */
final class UnwonDecision {

    private UnwonDecision() {
    }

    /**
     * A row this request did not win: a replay of its own earlier decision, or a precise refusal. Final states
     * first (they say what happened); a pending approval its requester asked to approve is refused as self-approval
     * whatever the version, since no version would let this caller approve it.
     */
    static DecisionResult answer(DecisionRequest request, ApprovalSnapshot snapshot) {
        Approval approval = snapshot.approval();
        String status = approval.status().wireName();
        if (approval.wasDecidedBy(request)) {
            if (approval.status() == request.decision().targetStatus()) {
                return new DecisionResult(approval, true);
            }
            throw new IdempotencyKeyReusedException(approval.id(), status);
        }
        if (approval.status() == ApprovalStatus.EXPIRED
                || (approval.status() == ApprovalStatus.PENDING && snapshot.expired())) {
            throw new ApprovalExpiredException(approval.id(), approval.version(), status, approval.expiresAt());
        }
        if (approval.status() != ApprovalStatus.PENDING) {
            throw new ApprovalAlreadyDecidedException(approval.id(), approval.version(), status,
                    approval.decidedBy(), approval.decidedAt());
        }
        if (DecisionService.isSelfApproval(request, approval)) {
            throw new SelfApprovalException(approval.id());
        }
        throw new ApprovalVersionConflictException(approval.id(), request.expectedVersion(), approval.version());
    }
}
