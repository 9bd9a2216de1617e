package dev.approvals.functions;

import dev.approvals.json.Json;
import dev.approvals.testing.Events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Read, list and propose requests built from the project's events/*.json, as API Gateway sends them. */
final class ApiEvents {

    /** The caller of events/read-http.json and list-http.json (an approver). */
    static final String READER = "8f3a2b1c-4d5e-4f60-8172-93a4b5c6d7e8";
    /** The caller of events/propose-http.json (an agent). */
    static final String AGENT = "agent-7";

    private ApiEvents() {
    }

    static EventBuilder read(UUID id) {
        return EventBuilder.from("read-http.json").approval(id).set("rawPath", "/approvals/" + id);
    }

    /** {@code GET /approvals?<rawQuery>}; HTTP APIs send the raw query string and a parsed map, repeats joined. */
    static EventBuilder list(String rawQuery) {
        EventBuilder event = EventBuilder.from("list-http.json").set("rawQueryString", rawQuery);
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty()) {
                String[] parts = pair.split("=", 2);
                parsed.merge(parts[0], parts.length > 1 ? parts[1] : "", (a, b) -> a + "," + b);
            }
        }
        return event.set("queryStringParameters", parsed.isEmpty() ? null : parsed);
    }

    /** {@code POST /approvals} with this body and, when not null, this Idempotency-Key. */
    static EventBuilder propose(String body, String key) {
        return EventBuilder.from("propose-http.json").body(body).header("idempotency-key", key);
    }

    /** A refund proposal of {@code amount}. */
    static String refund(int amount) {
        return Json.write(Map.of("actionType", "refund",
                "actionPayload", Map.of("orderId", "A-" + amount, "amount", amount, "currency", "EUR")));
    }

    /** The same request as another caller, with these groups ({@code "[a b]"} as HTTP APIs flatten them). */
    static EventBuilder as(EventBuilder event, String sub, String groups) {
        Map<String, Object> claims = Events.at(event.map(), "requestContext", "authorizer", "jwt", "claims");
        claims.put("sub", sub);
        claims.put("cognito:groups", groups);
        return event;
    }
}
