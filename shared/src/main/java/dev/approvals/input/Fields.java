package dev.approvals.input;

import dev.approvals.errors.InvalidDecisionRequestException;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Validation shared by the HTTP and direct adapters; every failure is a 400 with a message naming the field. */
public final class Fields {

    /** Longest reason accepted, in characters (Unicode code points). Documented in docs/api.md. */
    public static final int MAX_REASON_LENGTH = 1000;
    /** Longest idempotency key accepted; keys are visible ASCII. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    /** Longest actor id accepted (a JWT {@code sub}, an IAM ARN, a workflow name). */
    public static final int MAX_ACTOR_LENGTH = 512;

    private Fields() {
    }

    public static void rejectUnknown(Map<String, Object> object, Set<String> known, String where) {
        for (String name : object.keySet()) {
            if (!known.contains(name)) {
                throw new InvalidDecisionRequestException(
                        "Unknown field '" + printable(name) + "' in " + where + "; allowed: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    public static UUID approvalId(Object value, String name) {
        if (!(value instanceof String text) || !isCanonicalUuid(text)) {
            throw new InvalidDecisionRequestException(name + " must be a UUID such as 0b8f3c1e-5d7a-4f2e-9c61-2a4b6d8e0f13");
        }
        return UUID.fromString(text);
    }

    /** What {@code [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-...-[0-9a-fA-F]{12}} matches, by hand: it runs on every request. */
    static boolean isCanonicalUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean valid = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    /** What {@code [\x20-\x7E]+} matches, by hand. */
    static boolean isVisibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** A version is a whole JSON number from 1 to 2147483647 (the database column is an integer). */
    public static int version(Object value, String name) {
        long version;
        if (value instanceof Integer i) {
            version = i;
        } else if (value instanceof Long l) {
            version = l;
        } else if (value instanceof BigInteger) {
            version = -1;
        } else if (value instanceof Number) {
            throw new InvalidDecisionRequestException(name + " must be a whole number");
        } else {
            throw new InvalidDecisionRequestException(name + " must be a number, e.g. 3");
        }
        if (version < 1 || version > Integer.MAX_VALUE) {
            throw new InvalidDecisionRequestException(name + " must be between 1 and " + Integer.MAX_VALUE);
        }
        return (int) version;
    }

    /** Optional free text: absent or null is none; newlines and tabs allowed, other control characters not. */
    public static String reason(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidDecisionRequestException("reason must be a string");
        }
        if (text.codePointCount(0, text.length()) > MAX_REASON_LENGTH) {
            throw new InvalidDecisionRequestException("reason must be at most " + MAX_REASON_LENGTH + " characters");
        }
        requireStorableText(text, "reason", true);
        return text;
    }

    public static String actor(Object value, String name) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidDecisionRequestException(name + " must be a non-empty string");
        }
        if (text.length() > MAX_ACTOR_LENGTH) {
            throw new InvalidDecisionRequestException(name + " must be at most " + MAX_ACTOR_LENGTH + " characters");
        }
        requireStorableText(text, name, false);
        return text;
    }

    public static String idempotencyKey(Object value, String name) {
        if (!(value instanceof String text) || text.isEmpty() || text.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || !isVisibleAscii(text) || text.isBlank()) {
            throw new InvalidDecisionRequestException(name + " must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " visible ASCII characters");
        }
        return text;
    }

    /** PostgreSQL text cannot hold NUL or broken UTF-16; refuse them here rather than fail in the database. */
    private static void requireStorableText(String text, String name, boolean allowLineBreaks) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidDecisionRequestException(name + " is not valid Unicode text");
            } else if (Character.isISOControl(c) && !(allowLineBreaks && (c == '\n' || c == '\r' || c == '\t'))) {
                throw new InvalidDecisionRequestException(name + " must not contain control characters");
            }
        }
    }

    /** Names are echoed in messages: keep them short and plain. */
    public static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    /** Follows nested objects; null when any step is missing or not an object. */
    public static Object path(Map<String, Object> root, String... names) {
        Object current = root;
        for (String name : names) {
            Map<String, Object> object = object(current);
            if (object == null) {
                return null;
            }
            current = object.get(name);
        }
        return current;
    }

    public static List<?> list(Object value) {
        return value instanceof List<?> list ? list : null;
    }
}
