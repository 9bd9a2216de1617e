package dev.approvals.invocation;

import dev.approvals.json.Json;

import java.util.Map;

/**
 * An invocation's payload, read once: a JSON object, other JSON ({@code object} null), or not JSON at all
 * ({@code malformed} says why, in words fit for the caller).
 */
record Event(Map<String, Object> object, String malformed) {

    @SuppressWarnings("unchecked")
    static Event parse(byte[] bytes) {
        try {
            Object parsed = Json.parse(bytes);
            return new Event(parsed instanceof Map<?, ?> ? (Map<String, Object>) parsed : null, null);
        } catch (Json.MalformedJsonException e) {
            return new Event(null, e.getMessage());
        }
    }
}
