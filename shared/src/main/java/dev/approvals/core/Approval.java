package dev.approvals.core;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code ai_approvals}, as the decision statement returns it.
 *
 * @param actionPayloadJson the proposed action's parameters, JSON text as stored
 * @param decisionKey       idempotency key of the request that decided it (null while pending)
 * @param taskToken         Step Functions callback token (null unless a workflow waits); never shown to callers
 */
public record Approval(UUID id, ApprovalStatus status, int version, String actionType, String actionPayloadJson,
                       String requestedBy, Instant requestedAt, Instant expiresAt, String decidedBy,
                       Instant decidedAt, String decisionReason, String decisionKey, String taskToken) {

    /** The same approval as seen by the workflow that waits on it with this task token. */
    public Approval withTaskToken(String token) {
        return new Approval(id, status, version, actionType, actionPayloadJson, requestedBy, requestedAt, expiresAt,
                decidedBy, decidedAt, decisionReason, decisionKey, token);
    }

    /** Whether this request's own earlier attempt decided the approval: same key and same actor (keys belong to their caller). */
    public boolean wasDecidedBy(DecisionRequest request) {
        return request.decisionKey().equals(decisionKey) && request.actor().equals(decidedBy);
    }
}
