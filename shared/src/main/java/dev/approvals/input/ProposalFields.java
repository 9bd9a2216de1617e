package dev.approvals.input;

import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.json.Json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules for what an agent proposes (over HTTP or as a workflow's input) and how approvals are filtered; every failure
 * names the field.
 */
public final class ProposalFields {

    /** Longest action type; a machine name such as {@code refund} or {@code crm.update_record}. */
    public static final int MAX_ACTION_TYPE_LENGTH = 100;
    /** Deepest nesting of objects and arrays in an action payload (the payload object itself is level 1). */
    public static final int MAX_PAYLOAD_DEPTH = 32;
    /** Largest action payload, as compact JSON in UTF-8. Documented in docs/api.md and docs/workflows.md. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** Most digits after the decimal point of a number in an action payload: what PostgreSQL's numeric holds. */
    public static final int MAX_FRACTION_DIGITS = 16383;
    /** Latest deadline a proposal may set, from now. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(30);

    private static final Pattern ACTION_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");
    /** RFC 3339 date-time: seconds required, offset required (Z or +hh:mm). */
    private static final Pattern RFC_3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private ProposalFields() {
    }

    public static String actionType(Object value, String name) {
        if (!(value instanceof String text) || text.isEmpty() || text.length() > MAX_ACTION_TYPE_LENGTH
                || !ACTION_TYPE.matcher(text).matches()) {
            throw new InvalidDecisionRequestException(name + " must be 1 to " + MAX_ACTION_TYPE_LENGTH
                    + " letters, digits or . _ : / - (starting with a letter or digit), e.g. refund");
        }
        return text;
    }

    /**
     * A JSON object whose nesting is at most {@value #MAX_PAYLOAD_DEPTH} deep and whose names and strings
     * PostgreSQL's jsonb can store (no NUL, no broken UTF-16).
     */
    public static Map<String, Object> actionPayload(Object value) {
        Map<String, Object> payload = Fields.object(value);
        if (payload == null) {
            throw new InvalidDecisionRequestException("actionPayload must be a JSON object");
        }
        check(payload, 1);
        return payload;
    }

    /** The payload's compact JSON text, as stored, when it is at most {@value #MAX_PAYLOAD_BYTES} bytes. */
    public static String actionPayloadJson(String json) {
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw payloadTooLarge();
        }
        return json;
    }

    /**
     * An optional RFC 3339 deadline, after {@code now} and at most {@link #MAX_EXPIRY} later.
     *
     * @return the instant, or null when absent
     */
    public static Instant expiresAt(Object value, Instant now) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text) || !RFC_3339.matcher(text).matches()) {
            throw new InvalidDecisionRequestException(
                    "expiresAt must be an RFC 3339 date-time with an offset, e.g. 2026-12-01T12:00:00Z");
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidDecisionRequestException("expiresAt is not a valid date-time");
        }
        if (!instant.isAfter(now)) {
            throw new InvalidDecisionRequestException("expiresAt must be in the future");
        }
        if (instant.isAfter(now.plus(MAX_EXPIRY))) {
            throw new InvalidDecisionRequestException("expiresAt must be at most " + MAX_EXPIRY.toDays()
                    + " days ahead");
        }
        return instant;
    }

    private static void check(Object value, int depth) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            if (depth > MAX_PAYLOAD_DEPTH) {
                throw new InvalidDecisionRequestException("actionPayload nests objects and arrays more than "
                        + MAX_PAYLOAD_DEPTH + " levels deep");
            }
            if (value instanceof Map<?, ?> map) {
                map.forEach((name, member) -> {
                    storable(String.valueOf(name));
                    check(member, depth + 1);
                });
            } else {
                ((List<?>) value).forEach(item -> check(item, depth + 1));
            }
        } else if (value instanceof String text) {
            storable(text);
        } else if (value instanceof BigDecimal number) {
            storable(number);
        }
    }

    /**
     * A number jsonb can hold as written: PostgreSQL's numeric keeps at most {@value #MAX_FRACTION_DIGITS} digits
     * after the point (it refuses more rather than round), and stores {@code 1e400} as 401 digits, which count
     * towards the payload's size like any other text.
     */
    private static void storable(BigDecimal number) {
        if (number.scale() > MAX_FRACTION_DIGITS) {
            throw new InvalidDecisionRequestException("actionPayload numbers must have at most " + MAX_FRACTION_DIGITS
                    + " digits after the decimal point");
        }
        if (Json.digitsBeforePoint(number) > MAX_PAYLOAD_BYTES) {
            throw payloadTooLarge();
        }
    }

    private static InvalidDecisionRequestException payloadTooLarge() {
        return new InvalidDecisionRequestException("actionPayload must be at most " + MAX_PAYLOAD_BYTES
                + " bytes as compact JSON");
    }

    private static void storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new InvalidDecisionRequestException("actionPayload must not contain the NUL character (\\u0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidDecisionRequestException("actionPayload is not valid Unicode text");
            }
        }
    }
}
