package dev.approvals.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An EventBridge event pattern, matched as EventBridge matches it. A pattern is a JSON object; each field names
 * a field of the event (nested objects go deeper, e.g. into {@code detail}) and holds an array of matchers, any
 * of which may match (an OR); every field of the pattern must match (an AND). When the event's value is an array,
 * the field matches when any of its elements does.
 *
 * <p>Matchers: exact values (text, number compared as numbers, boolean, {@code null}), {@code prefix},
 * {@code suffix}, {@code equals-ignore-case}, {@code wildcard} ({@code *} only), {@code anything-but} (a value,
 * a list of values, or a {@code prefix}/{@code suffix}/{@code equals-ignore-case}), {@code exists} (leaf fields
 * only), {@code numeric} (one or two comparisons: {@code = < <= > >=}), and {@code $or} of whole sub-patterns.
 * Not supported (rejected when the pattern is read, so nothing silently never matches): {@code cidr},
 * {@code prefix}/{@code suffix} with {@code equals-ignore-case} inside {@code anything-but} lists, and
 * {@code wildcard} inside {@code anything-but}.
 */
public final class EventPattern {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode pattern;

    private EventPattern(JsonNode pattern) {
        this.pattern = pattern;
    }

    /**
     * Reads and checks a pattern.
     *
     * @throws IllegalArgumentException naming what is wrong: not JSON, not an object, empty, or an operator this
     *                                  stand-in does not support
     */
    public static EventPattern parse(String json) {
        try {
            return of(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid event pattern: not valid JSON");
        }
    }

    /** As {@link #parse(String)}, from a parsed pattern (e.g. a template's {@code EventPattern} map). */
    public static EventPattern of(Object pattern) {
        JsonNode node = pattern instanceof JsonNode n ? n : JSON.valueToTree(pattern);
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new IllegalArgumentException("Invalid event pattern: it must be a non-empty JSON object");
        }
        try {
            PatternCheck.object(node, "");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid event pattern: " + e.getMessage());
        }
        return new EventPattern(node);
    }

    /** The pattern as JSON. */
    public JsonNode json() {
        return pattern;
    }

    /** True when the event (the whole envelope, {@code detail} as an object) matches. */
    public boolean matches(JsonNode event) {
        return matchesObject(pattern, event);
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode event) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("$or")) {
                if (!anyAlternative(field.getValue(), event)) {
                    return false;
                }
                continue;
            }
            JsonNode value = event != null && event.isObject() ? event.get(field.getKey()) : null;
            if (!matchesField(field.getValue(), value == null ? MissingNode.getInstance() : value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyAlternative(JsonNode alternatives, JsonNode event) {
        for (JsonNode alternative : alternatives) {
            if (matchesObject(alternative, event)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesField(JsonNode pattern, JsonNode value) {
        if (pattern.isObject()) {
            return value.isObject() && matchesObject(pattern, value);
        }
        for (JsonNode matcher : pattern) {
            if (Matchers.matches(matcher, value)) {
                return true;
            }
        }
        return false;
    }

    /** Rejects what EventBridge rejects, and what this stand-in does not implement, when the pattern is read. */
    private static final class PatternCheck {

        private static final List<String> OPERATORS = List.of("prefix", "suffix", "equals-ignore-case", "wildcard",
                "anything-but", "exists", "numeric");

        static void object(JsonNode node, String path) {
            node.fields().forEachRemaining(field -> {
                String where = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                JsonNode value = field.getValue();
                if (field.getKey().equals("$or")) {
                    if (!value.isArray() || value.size() < 2) {
                        throw new IllegalArgumentException("$or at " + where + " needs at least two patterns");
                    }
                    value.forEach(alternative -> object(requireObject(alternative, where), path));
                } else if (value.isObject()) {
                    object(value, where);
                } else if (value.isArray()) {
                    value.forEach(matcher -> matcher(matcher, where));
                } else {
                    throw new IllegalArgumentException("field " + where
                            + " must be an object or an array of match values");
                }
            });
        }

        private static JsonNode requireObject(JsonNode node, String where) {
            if (!node.isObject() || node.isEmpty()) {
                throw new IllegalArgumentException("$or at " + where + " must list non-empty objects");
            }
            return node;
        }

        private static void matcher(JsonNode matcher, String where) {
            if (!matcher.isObject()) {
                if (matcher.isArray()) {
                    throw new IllegalArgumentException("Nested arrays are not allowed at " + where);
                }
                return;
            }
            if (matcher.size() != 1) {
                throw new IllegalArgumentException("A matcher at " + where + " must have exactly one operator");
            }
            String operator = matcher.fieldNames().next();
            if (!OPERATORS.contains(operator)) {
                throw new IllegalArgumentException("Unsupported operator " + operator + " at " + where
                        + " (supported: " + String.join(", ", OPERATORS) + ")");
            }
            Matchers.check(operator, matcher.get(operator), where);
        }
    }

    /** Every text value of a JSON array or single value, for error messages and anything-but lists. */
    static List<JsonNode> values(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(values::add);
        } else {
            values.add(node);
        }
        return values;
    }

    @Override
    public String toString() {
        return pattern.toString();
    }
}
