package dev.approvals.json;

import dev.approvals.core.Approval;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The approval as callers see it: camelCase, ISO-8601 instants, the payload as JSON; no token, no key. */
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

    public static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
