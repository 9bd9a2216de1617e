package dev.approvals.local.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** One matcher of an {@link EventPattern} field against one event value (missing, a leaf, or an array). */
final class Matchers {

    private static final Set<String> COMPARISONS = Set.of("=", "<", "<=", ">", ">=");

    private Matchers() {
    }

    static boolean matches(JsonNode matcher, JsonNode value) {
        if (matcher.isObject() && matcher.has("exists")) {
            return matcher.get("exists").asBoolean() == exists(value);
        }
        if (value.isMissingNode()) {
            return false; // every other matcher needs the field
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (matchesLeaf(matcher, element)) {
                    return true;
                }
            }
            return false;
        }
        return matchesLeaf(matcher, value);
    }

    /** EventBridge's exists works on leaves only: an object (or an empty array) does not "exist". */
    private static boolean exists(JsonNode value) {
        if (value.isMissingNode() || value.isObject()) {
            return false;
        }
        return !value.isArray() || !value.isEmpty();
    }

    private static boolean matchesLeaf(JsonNode matcher, JsonNode value) {
        if (!matcher.isObject()) {
            return equal(matcher, value);
        }
        String operator = matcher.fieldNames().next();
        JsonNode argument = matcher.get(operator);
        return switch (operator) {
            case "prefix" -> text(value) && affix(argument, value.asText(), true);
            case "suffix" -> text(value) && affix(argument, value.asText(), false);
            case "equals-ignore-case" -> text(value) && value.asText().equalsIgnoreCase(argument.asText());
            case "wildcard" -> text(value) && wildcard(argument.asText()).matcher(value.asText()).matches();
            case "anything-but" -> !anythingButExcludes(argument, value);
            case "numeric" -> value.isNumber() && numeric(argument, value.decimalValue());
            default -> false; // rejected when the pattern was read
        };
    }

    private static boolean equal(JsonNode expected, JsonNode value) {
        if (expected.isNumber()) {
            return value.isNumber() && expected.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        if (expected.isNull()) {
            return value.isNull();
        }
        return expected.getNodeType() == value.getNodeType() && expected.asText().equals(value.asText());
    }

    /** {@code prefix}/{@code suffix}: a text, or {@code {"equals-ignore-case": text}}. */
    private static boolean affix(JsonNode argument, String value, boolean prefix) {
        boolean ignoreCase = argument.isObject();
        String affix = ignoreCase ? argument.get("equals-ignore-case").asText() : argument.asText();
        String subject = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        String wanted = ignoreCase ? affix.toLowerCase(Locale.ROOT) : affix;
        return prefix ? subject.startsWith(wanted) : subject.endsWith(wanted);
    }

    private static boolean anythingButExcludes(JsonNode argument, JsonNode value) {
        if (argument.isObject()) {
            return matchesLeaf(argument, value); // {"prefix": ...}, {"suffix": ...}, {"equals-ignore-case": ...}
        }
        for (JsonNode excluded : EventPattern.values(argument)) {
            if (equal(excluded, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean numeric(JsonNode comparisons, BigDecimal value) {
        for (int i = 0; i + 1 < comparisons.size(); i += 2) {
            int order = value.compareTo(comparisons.get(i + 1).decimalValue());
            boolean holds = switch (comparisons.get(i).asText()) {
                case "=" -> order == 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                case ">=" -> order >= 0;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static Pattern wildcard(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static boolean text(JsonNode value) {
        return value.isTextual();
    }

    /** Checks an operator's argument when the pattern is read. */
    static void check(String operator, JsonNode argument, String where) {
        boolean valid = switch (operator) {
            case "prefix", "suffix" -> argument.isTextual() || ignoreCaseText(argument);
            case "equals-ignore-case", "wildcard" -> argument.isTextual();
            case "exists" -> argument.isBoolean();
            case "numeric" -> numericArgument(argument);
            case "anything-but" -> anythingButArgument(argument);
            default -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException("Invalid or unsupported " + operator + " argument at " + where + ": "
                    + argument);
        }
    }

    private static boolean ignoreCaseText(JsonNode argument) {
        return argument.isObject() && argument.size() == 1 && argument.has("equals-ignore-case")
                && argument.get("equals-ignore-case").isTextual();
    }

    private static boolean numericArgument(JsonNode argument) {
        if (!argument.isArray() || (argument.size() != 2 && argument.size() != 4)) {
            return false;
        }
        for (int i = 0; i < argument.size(); i += 2) {
            if (!COMPARISONS.contains(argument.get(i).asText()) || !argument.get(i + 1).isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static boolean anythingButArgument(JsonNode argument) {
        if (argument.isObject()) {
            if (argument.size() != 1) {
                return false;
            }
            String inner = argument.fieldNames().next();
            JsonNode value = argument.get(inner);
            return switch (inner) {
                case "prefix", "suffix" -> value.isTextual() || ignoreCaseText(value);
                case "equals-ignore-case" -> value.isTextual();
                default -> false;
            };
        }
        if (argument.isArray()) {
            for (JsonNode value : argument) {
                if (!value.isTextual() && !value.isNumber()) {
                    return false;
                }
            }
            return !argument.isEmpty();
        }
        return argument.isTextual() || argument.isNumber();
    }
}
