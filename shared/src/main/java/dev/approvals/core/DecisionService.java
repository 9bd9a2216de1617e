package dev.approvals.core;

import dev.approvals.errors.ApprovalAlreadyDecidedException;
import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalNotFoundException;
import dev.approvals.errors.ApprovalVersionConflictException;
import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.errors.IdempotencyKeyReusedException;
import dev.approvals.errors.SelfApprovalException;

import java.time.Instant;
import java.util.Objects;

/**
 * Decides an approval at most once and explains every refusal (docs/design.md §3).
 *
 * <p>The common case is one round trip: the store's conditional update either wins or returns the row as it
 * was. Only when that row still looks decidable (a concurrent winner committed after the statement's snapshot)
 * is the row read again.
 */
public final class DecisionService {

    /** Bounds the rare loop where a competitor locked the row and then rolled back. */
    private static final int MAX_ATTEMPTS = 3;

    private final ApprovalStore store;

    public DecisionService(ApprovalStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @return the decided approval, marked as a replay when this request's own earlier attempt decided it
     * @throws ApprovalNotFoundException        no such approval
     * @throws ApprovalAlreadyDecidedException  someone else decided it
     * @throws ApprovalVersionConflictException it is pending at another version
     * @throws ApprovalExpiredException         its deadline passed
     * @throws IdempotencyKeyReusedException    this key already decided it the other way
     * @throws SelfApprovalException           the caller requested it and asked to approve it
     * @throws DecisionUnavailableException     the database did not answer in time
     */
    public DecisionResult decide(DecisionRequest request, Instant deadline) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            DecisionAttempt outcome = store.decide(request, deadline);
            if (outcome instanceof DecisionAttempt.Won won) {
                return new DecisionResult(won.approval(), false);
            }
            if (!(outcome instanceof DecisionAttempt.NotWon notWon)) {
                throw new ApprovalNotFoundException(request.approvalId());
            }
            ApprovalSnapshot seen = notWon.current();
            if (!looksDecidable(request, seen)) {
                return UnwonDecision.answer(request, seen);
            }
            // A concurrent winner committed after our statement's snapshot was taken: read what it wrote.
            ApprovalSnapshot now = store.read(request.approvalId(), deadline)
                    .orElseThrow(() -> new ApprovalNotFoundException(request.approvalId()));
            if (!looksDecidable(request, now)) {
                return UnwonDecision.answer(request, now);
            }
            // Still pending at our version: the competitor rolled back, so the approval is free again.
        }
        throw new DecisionUnavailableException(
                "Approval " + request.approvalId() + " is being updated concurrently; retry", 1);
    }

    private static boolean looksDecidable(DecisionRequest request, ApprovalSnapshot snapshot) {
        Approval approval = snapshot.approval();
        return approval.status() == ApprovalStatus.PENDING
                && approval.version() == request.expectedVersion()
                && !snapshot.expired()
                && !isSelfApproval(request, approval);
    }

    /** Approving one's own request; rejecting (withdrawing) it is allowed. */
    static boolean isSelfApproval(DecisionRequest request, Approval approval) {
        return request.decision().targetStatus() == ApprovalStatus.APPROVED
                && request.actor().equals(approval.requestedBy());
    }
}
