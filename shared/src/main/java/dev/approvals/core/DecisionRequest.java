package dev.approvals.core;

import java.util.Objects;
import java.util.UUID;

/**
 * A validated request to decide one approval.
 *
 * @param decisionKey the idempotency key: a retry carrying the same key (from the same actor) is answered with
 *                    the decision it already made instead of a conflict
 * @param reason      optional free text, stored verbatim
 */
public record DecisionRequest(Decision decision, UUID approvalId, int expectedVersion, String actor,
                              String reason, String decisionKey) {

    public DecisionRequest {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(approvalId, "approvalId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(decisionKey, "decisionKey");
        if (expectedVersion < 1) {
            throw new IllegalArgumentException("expectedVersion must be positive");
        }
    }
}
