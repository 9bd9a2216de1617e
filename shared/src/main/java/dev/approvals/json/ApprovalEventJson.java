package dev.approvals.json;

import dev.approvals.core.ApprovalEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An approval event's {@code detail} (docs/events.md, docs/events/approval-event.schema.json): the stable event id,
 * the kind, and the approval exactly as the HTTP answers show it ({@link ApprovalJson}).
 */
public final class ApprovalEventJson {

    /** Every event's {@code source}. */
    public static final String SOURCE = "dev.approvals";

    private ApprovalEventJson() {
    }

    public static Map<String, Object> detail(ApprovalEvent event) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventId", event.eventId());
        detail.put("eventKind", event.kind().wireName());
        detail.put("approval", ApprovalJson.of(event.approval()));
        return detail;
    }
}
