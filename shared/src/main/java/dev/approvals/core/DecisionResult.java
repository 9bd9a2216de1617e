package dev.approvals.core;

/**
 * A successful answer: the approval as decided.
 *
 * @param replayed true when this request's own earlier attempt (same idempotency key) had already decided it,
 *                 e.g. the SDK retried after a lost response or the caller retried after a timeout
 */
public record DecisionResult(Approval approval, boolean replayed) {
}
