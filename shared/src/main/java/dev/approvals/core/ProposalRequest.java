package dev.approvals.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A validated proposal: an agent asks for {@code actionType} with {@code actionPayloadJson}, over HTTP or by
 * starting a workflow.
 *
 * @param expiresAt      optional deadline, judged by the database's clock once stored
 * @param requestedBy    the caller, from the authorizer; for a workflow, the execution (never free input)
 * @param idempotencyKey optional; with it, a retry with the same key (from the same caller) finds the approval its
 *                       first attempt created instead of creating another
 * @param requestHash    digest of the canonical request, stored with the key: the same key with another request is
 *                       refused. Present exactly when the key is.
 */
public record ProposalRequest(String actionType, String actionPayloadJson, Instant expiresAt, String requestedBy,
                              String idempotencyKey, String requestHash) {

    public ProposalRequest {
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(actionPayloadJson, "actionPayloadJson");
        Objects.requireNonNull(requestedBy, "requestedBy");
        if ((idempotencyKey == null) != (requestHash == null)) {
            throw new IllegalArgumentException("An idempotency key needs the request's hash, and only then");
        }
    }
}
