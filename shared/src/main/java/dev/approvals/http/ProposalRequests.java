package dev.approvals.http;

import dev.approvals.core.ProposalRequest;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;
import dev.approvals.input.ProposalFields;
import dev.approvals.json.Json;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code POST /approvals} with {@code {"actionType": "...", "actionPayload": {...}, "expiresAt": "<RFC 3339>"}}
 * and an optional {@code Idempotency-Key}. {@code requestedBy} is the caller the authorizer established; a body
 * naming it (or anything else) is refused.
 */
public final class ProposalRequests {

    /** Largest body accepted: the payload with room for formatting and the other members. */
    public static final int MAX_BODY_BYTES = 128 * 1024;

    static final Set<String> BODY_FIELDS = Set.of("actionType", "actionPayload", "expiresAt");

    private ProposalRequests() {
    }

    /**
     * @param requestedBy the authenticated caller
     * @param now         the function's clock, for the limits on {@code expiresAt}
     * @throws InvalidDecisionRequestException naming the first field that is missing or wrong
     * @throws HttpRequestRejectedException    413 or 415
     */
    public static ProposalRequest parse(HttpRequest request, String requestedBy, Instant now) {
        Map<String, Object> body = request.jsonBody(MAX_BODY_BYTES);
        if (body.isEmpty()) {
            throw new InvalidDecisionRequestException("Send {\"actionType\": \"...\", \"actionPayload\": {...}} as the body");
        }
        Fields.rejectUnknown(body, BODY_FIELDS, "the body");
        String actionType = ProposalFields.actionType(body.get("actionType"), "actionType");
        if (body.get("actionPayload") == null) {
            throw new InvalidDecisionRequestException("actionPayload is required (a JSON object, {} for none)");
        }
        Map<String, Object> payload = ProposalFields.actionPayload(body.get("actionPayload"));
        String payloadJson = ProposalFields.actionPayloadJson(Json.write(payload));
        Instant expiresAt = ProposalFields.expiresAt(body.get("expiresAt"), now);
        String key = HttpRequests.idempotencyKey(request, null);
        return new ProposalRequest(actionType, payloadJson, expiresAt, requestedBy, key,
                key == null ? null : digest(actionType, payload, expiresAt));
    }

    /**
     * SHA-256 of the request in canonical form: members sorted at every level, the deadline as an instant. Key
     * order, whitespace and the deadline's offset do not make two requests different; values do.
     */
    static String digest(String actionType, Map<String, Object> payload, Instant expiresAt) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("actionPayload", sorted(payload));
        canonical.put("actionType", actionType);
        canonical.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Json.writeBytes(canonical)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks SHA-256", e);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((name, member) -> sorted.put(String.valueOf(name), sorted(member)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ProposalRequests::sorted).toList();
        }
        if (value instanceof BigDecimal number) {
            return canonical(number);
        }
        return value;
    }

    /**
     * A number as digests wrote it when payloads were read as doubles, so that a key's digest stored then still
     * matches its retry: the double when it holds the number exactly ({@code 1.5}, {@code 100.0}), otherwise the
     * exact number without trailing zeros (where a double had rounded it).
     */
    private static Object canonical(BigDecimal number) {
        double approximation = number.doubleValue();
        if (Double.isFinite(approximation) && new BigDecimal(approximation).compareTo(number) == 0) {
            return approximation;
        }
        return number.stripTrailingZeros();
    }
}
