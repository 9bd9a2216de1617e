package dev.approvals.functions;

import dev.approvals.core.Decision;

import java.util.UUID;

/** The three input shapes of docs/design.md §4, each built from the project's own sample events. */
enum Shape {
    HTTP_API, REST_API, DIRECT;

    /** An event asking {@code decision} of approval {@code id} at {@code version}, carrying idempotency key {@code key}. */
    EventBuilder event(Decision decision, UUID id, int version, String key) {
        return switch (this) {
            case HTTP_API -> EventBuilder.from(decision == Decision.APPROVE ? "approve-http.json" : "reject-http.json")
                    .approval(id)
                    .body("{\"expectedVersion\":" + version + ",\"reason\":\"looked at it\"}")
                    .header("idempotency-key", "\"" + key + "\"");
            case REST_API -> EventBuilder.from("approve-rest.json")
                    .approval(id)
                    .body("{\"expectedVersion\":" + version + ",\"reason\":\"looked at it\"}")
                    .header("Idempotency-Key", key);
            case DIRECT -> EventBuilder.from("approve-direct.json")
                    .approval(id)
                    .set("expectedVersion", version)
                    .set("idempotencyKey", key);
        };
    }

    /** The actor each sample event authenticates as. */
    String actor() {
        return switch (this) {
            case HTTP_API -> "8f3a2b1c-4d5e-4f60-8172-93a4b5c6d7e8";
            case REST_API -> "2b4d6f80-1a3c-4e5f-9071-8293a4b5c6d7";
            case DIRECT -> "workflow:auto-approval-policy";
        };
    }
}
