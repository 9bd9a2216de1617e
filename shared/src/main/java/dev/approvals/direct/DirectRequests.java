package dev.approvals.direct;

import dev.approvals.core.Decision;
import dev.approvals.core.DecisionRequest;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;

import java.util.Map;
import java.util.Set;

/**
 * Reads the plain payload of a Step Functions {@code lambda:invoke} task or any direct Invoke:
 * {@code {"approvalId", "expectedVersion", "actor", "reason", "idempotencyKey"}}. Here the caller is trusted
 * (IAM decided it may invoke the function), so the actor comes from the payload.
 */
public final class DirectRequests {

    static final Set<String> FIELDS = Set.of("approvalId", "expectedVersion", "actor", "reason", "idempotencyKey");

    private DirectRequests() {
    }

    /**
     * @param lambdaRequestId the decision key when the payload carries no {@code idempotencyKey}
     * @throws InvalidDecisionRequestException naming the first field that is missing or wrong
     */
    public static DecisionRequest parse(Map<String, Object> payload, Decision decision, String lambdaRequestId) {
        Fields.rejectUnknown(payload, FIELDS, "the payload");
        require(payload, "approvalId");
        require(payload, "expectedVersion");
        require(payload, "actor");
        Object key = payload.get("idempotencyKey");
        return new DecisionRequest(
                decision,
                Fields.approvalId(payload.get("approvalId"), "approvalId"),
                Fields.version(payload.get("expectedVersion"), "expectedVersion"),
                Fields.actor(payload.get("actor"), "actor"),
                Fields.reason(payload.get("reason")),
                key == null ? lambdaRequestId : Fields.idempotencyKey(key, "idempotencyKey"));
    }

    private static void require(Map<String, Object> payload, String name) {
        if (payload.get(name) == null) {
            throw new InvalidDecisionRequestException(name + " is required");
        }
    }
}
