package dev.approvals.json;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.ApprovalStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The approval as callers see it, in every answer (read, list, propose, decide, workflow output): camelCase,
 * ISO-8601 instants, the payload as JSON; no token, no key. Members without a value are left out.
 */
public final class ApprovalJson {

    private ApprovalJson() {
    }

    public static Map<String, Object> of(Approval approval) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", approval.id().toString());
        json.put("status", approval.status().wireName());
        json.put("version", approval.version());
        json.put("actionType", approval.actionType());
        json.put("actionPayload", approval.actionPayloadJson() == null
                ? null : Json.parse(approval.actionPayloadJson().getBytes(StandardCharsets.UTF_8)));
        json.put("requestedBy", approval.requestedBy());
        json.put("requestedAt", iso(approval.requestedAt()));
        json.put("expiresAt", iso(approval.expiresAt()));
        json.put("decidedBy", approval.decidedBy());
        json.put("decidedAt", iso(approval.decidedAt()));
        json.put("decisionReason", approval.decisionReason());
        return json;
    }

    /**
     * As {@link #of(Approval)}, plus {@code "expired": true} when the approval is still pending but its deadline
     * has passed by the database's clock: it can no longer be decided.
     */
    public static Map<String, Object> of(ApprovalSnapshot snapshot) {
        Map<String, Object> json = of(snapshot.approval());
        if (snapshot.expired() && snapshot.approval().status() == ApprovalStatus.PENDING) {
            json.put("expired", true);
        }
        return json;
    }

    public static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
