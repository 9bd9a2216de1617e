package dev.approvals.local.dataapi.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the members of a request body with the service model's constraints. A member of the wrong JSON type is a
 * {@code SerializationException}; constraint violations (missing required members, lengths, enum values) are
 * collected and reported together as one {@code ValidationException}, in the AWS wording
 * ({@code 1 validation error detected: Value null at 'sql' failed to satisfy constraint: Member must not be null}).
 */
final class RequestReader {

    private final JsonNode body;
    private final List<String> violations = new ArrayList<>();

    RequestReader(JsonNode body) {
        this.body = body;
    }

    /** An {@code Arn} member: required, 11 to 570 characters. */
    String arn(String member) {
        return string(member, true, 11, 570);
    }

    String string(String member, boolean required, int min, int max) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            if (required) {
                violations.add("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw DataApiException.serialization("Expected a string for '" + member + "' but found "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        String value = node.asText();
        if (value.length() < min) {
            violations.add("Value '" + shorten(value) + "' at '" + member
                    + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
        } else if (value.length() > max) {
            violations.add("Value '" + shorten(value) + "' at '" + member
                    + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
        }
        return value;
    }

    boolean bool(String member) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw DataApiException.serialization("Expected a boolean for '" + member + "'");
        }
        return node.booleanValue();
    }

    /** An enum member; returns {@code defaultValue} when absent. */
    String enumeration(JsonNode parent, String path, String member, String defaultValue, List<String> allowed) {
        JsonNode node = parent == null ? null : parent.get(member);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isTextual()) {
            throw DataApiException.serialization("Expected a string for '" + path + "'");
        }
        if (!allowed.contains(node.asText())) {
            violations.add("Value '" + shorten(node.asText()) + "' at '" + path
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
            return defaultValue;
        }
        return node.asText();
    }

    JsonNode object(String member) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw DataApiException.serialization("Expected an object for '" + member + "'");
        }
        return node;
    }

    JsonNode list(String member, boolean required) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            if (required) {
                violations.add("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        if (!node.isArray()) {
            throw DataApiException.serialization("Expected a list for '" + member + "'");
        }
        return node;
    }

    /** Throws the collected violations, if any. */
    void validate() {
        if (violations.isEmpty()) {
            return;
        }
        String count = violations.size() == 1 ? "1 validation error detected: "
                : violations.size() + " validation errors detected: ";
        throw DataApiException.validation(count + String.join("; ", violations));
    }

    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
