package dev.approvals.core;

/**
 * A successful proposal.
 *
 * @param replayed true when an earlier request with the same idempotency key (and the same request) created it
 */
public record ProposalResult(ApprovalSnapshot approval, boolean replayed) {
}
