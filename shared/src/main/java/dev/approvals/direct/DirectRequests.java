package dev.approvals.direct;

import dev.approvals.core.Decision;
import dev.approvals.core.DecisionRequest;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;

import java.util.Map;
import java.util.Set;

/**
 * Reads the plain payload of the state machine's {@code lambda:invoke} task (the alias {@code workflow}):
 * {@code {"approvalId", "expectedVersion", "reason", "idempotencyKey"}}. The actor is not the payload's to name:
 * it is the deployment's workflow actor (WORKFLOW_ACTOR), so whoever may start an execution or invoke the alias
 * cannot decide as someone else (docs/security.md).
 */
public final class DirectRequests {

    static final Set<String> FIELDS = Set.of("approvalId", "expectedVersion", "reason", "idempotencyKey");

    private DirectRequests() {
    }

    /**
     * @param actor           the deployment's workflow actor
     * @param lambdaRequestId the decision key when the payload carries no {@code idempotencyKey}
     * @throws InvalidDecisionRequestException naming the first field that is missing or wrong
     */
    public static DecisionRequest parse(Map<String, Object> payload, Decision decision, String actor,
                                        String lambdaRequestId) {
        if (payload.containsKey("actor")) {
            throw new InvalidDecisionRequestException("actor is not accepted: the workflow decides as the"
                    + " deployment's workflow actor (WORKFLOW_ACTOR), never as a payload names");
        }
        Fields.rejectUnknown(payload, FIELDS, "the payload");
        require(payload, "approvalId");
        require(payload, "expectedVersion");
        Object key = payload.get("idempotencyKey");
        return new DecisionRequest(
                decision,
                Fields.approvalId(payload.get("approvalId"), "approvalId"),
                Fields.version(payload.get("expectedVersion"), "expectedVersion"),
                actor,
                Fields.reason(payload.get("reason")),
                key == null ? lambdaRequestId : Fields.idempotencyKey(key, "idempotencyKey"));
    }

    private static void require(Map<String, Object> payload, String name) {
        if (payload.get(name) == null) {
            throw new InvalidDecisionRequestException(name + " is required");
        }
    }
}
