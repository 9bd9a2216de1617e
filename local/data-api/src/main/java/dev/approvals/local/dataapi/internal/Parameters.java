package dev.approvals.local.dataapi.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.postgresql.util.PGobject;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code parameters} of a call, parsed from JSON and bound the way the Data API v2 binds them: a plain
 * {@code stringValue} as PostgreSQL {@code text} (so {@code uuid = :id} fails without {@code typeHint: UUID}),
 * a type hint as exactly that type, {@code longValue} as int8, {@code doubleValue} as float8, {@code booleanValue}
 * as bool, {@code blobValue} as bytea and {@code isNull} as an untyped NULL.
 */
public final class Parameters {

    static final Set<String> TYPE_HINTS = Set.of("JSON", "UUID", "TIMESTAMP", "DATE", "TIME", "DECIMAL");

    /** One parameter value: which {@code Field} member was set, its value, and the type hint. */
    record Value(String member, Object value, String typeHint) {
    }

    private final Map<String, Value> byName;

    private Parameters(Map<String, Value> byName) {
        this.byName = byName;
    }

    public static Parameters none() {
        return new Parameters(Map.of());
    }

    /** Parses a JSON {@code SqlParametersList}; {@code path} names it in validation messages. */
    public static Parameters parse(JsonNode list, String path) {
        if (list == null || list.isNull()) {
            return none();
        }
        if (!list.isArray()) {
            throw DataApiException.serialization("Expected a list for '" + path + "'");
        }
        Map<String, Value> byName = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode parameter : list) {
            index++;
            if (!parameter.isObject()) {
                throw DataApiException.serialization("Expected an object for '" + path + "." + index + "'");
            }
            JsonNode nameNode = parameter.get("name");
            if (nameNode == null || nameNode.isNull() || nameNode.asText().isEmpty()) {
                throw DataApiException.badRequest("Parameter " + index + " has no name");
            }
            if (!nameNode.isTextual()) {
                throw DataApiException.serialization("Expected a string for '" + path + "." + index + ".member.name'");
            }
            String name = nameNode.asText();
            String typeHint = null;
            JsonNode hint = parameter.get("typeHint");
            if (hint != null && !hint.isNull()) {
                if (!hint.isTextual()) {
                    throw DataApiException.serialization("Expected a string for typeHint of parameter \"" + name + "\"");
                }
                typeHint = hint.asText();
                if (!TYPE_HINTS.contains(typeHint)) {
                    throw DataApiException.validation("1 validation error detected: Value '" + typeHint + "' at '"
                            + path + "." + index + ".member.typeHint' failed to satisfy constraint: Member must"
                            + " satisfy enum value set: [JSON, UUID, TIMESTAMP, DATE, TIME, DECIMAL]");
                }
            }
            Value value = parseField(name, parameter.get("value"), typeHint);
            if (byName.putIfAbsent(name, value) != null) {
                throw DataApiException.badRequest("Parameter \"" + name + "\" is specified more than once");
            }
        }
        return new Parameters(byName);
    }

    private static Value parseField(String name, JsonNode field, String typeHint) {
        if (field == null || field.isNull()) {
            throw noFieldSet(name);
        }
        if (!field.isObject()) {
            throw DataApiException.serialization("Expected an object for the value of parameter \"" + name + "\"");
        }
        Map.Entry<String, JsonNode> set = theFieldSet(name, field);
        return new Value(set.getKey(), memberValue(name, set.getKey(), set.getValue()), typeHint);
    }

    /** The one member of a {@code Field} that is set (a null member, or {@code "isNull": false}, is not). */
    private static Map.Entry<String, JsonNode> theFieldSet(String name, JsonNode field) {
        Map.Entry<String, JsonNode> set = null;
        for (Map.Entry<String, JsonNode> entry : field.properties()) {
            if (entry.getValue().isNull() || (entry.getKey().equals("isNull") && !entry.getValue().asBoolean())) {
                continue;
            }
            if (set != null) {
                throw DataApiException.badRequest("Parameter \"" + name + "\" has value with more than one field set");
            }
            set = entry;
        }
        if (set == null) {
            throw noFieldSet(name);
        }
        return set;
    }

    private static Object memberValue(String name, String member, JsonNode node) {
        return switch (member) {
            case "isNull" -> {
                requireType(node.isBoolean(), name, member);
                yield null;
            }
            case "booleanValue" -> {
                requireType(node.isBoolean(), name, member);
                yield node.booleanValue();
            }
            case "longValue" -> {
                requireType(node.isIntegralNumber() && node.canConvertToLong(), name, member);
                yield node.longValue();
            }
            case "doubleValue" -> doubleValue(name, member, node);
            case "stringValue" -> {
                requireType(node.isTextual(), name, member);
                yield node.asText();
            }
            case "blobValue" -> {
                requireType(node.isTextual(), name, member);
                try {
                    yield Base64.getDecoder().decode(node.asText());
                } catch (IllegalArgumentException e) {
                    throw DataApiException.serialization("Parameter \"" + name + "\": blobValue is not valid base64");
                }
            }
            case "arrayValue" -> throw DataApiException.validation("Array parameters are not supported");
            default -> throw noFieldSet(name);
        };
    }

    /** A number, or the text {@code NaN}, {@code Infinity} or {@code -Infinity} as the SDK writes those. */
    private static double doubleValue(String name, String member, JsonNode node) {
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw wrongType(name, member);
            };
        }
        requireType(node.isNumber(), name, member);
        return node.doubleValue();
    }

    private static void requireType(boolean ok, String name, String member) {
        if (!ok) {
            throw wrongType(name, member);
        }
    }

    private static DataApiException wrongType(String name, String member) {
        return DataApiException.serialization("Parameter \"" + name + "\": wrong JSON type for " + member);
    }

    private static DataApiException noFieldSet(String name) {
        return DataApiException.badRequest("Parameter \"" + name + "\" has value with no field set");
    }

    /** The names of the supplied parameters. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** Fails if a supplied parameter does not occur in the SQL. */
    public void requireAllUsed(List<String> namesInSql) {
        for (String name : byName.keySet()) {
            if (!namesInSql.contains(name)) {
                throw DataApiException.badRequest("Cannot find parameter: " + name);
            }
        }
    }

    /** Binds the parameters named by {@code bindOrder} to {@code statement}'s placeholders 1..n. */
    public void bind(PreparedStatement statement, List<String> bindOrder) throws SQLException {
        for (int i = 0; i < bindOrder.size(); i++) {
            bind(statement, i + 1, byName.get(bindOrder.get(i)));
        }
    }

    private static void bind(PreparedStatement statement, int index, Value value) throws SQLException {
        switch (value.member()) {
            case "isNull" -> statement.setNull(index, Types.NULL);
            case "booleanValue" -> statement.setBoolean(index, (Boolean) value.value());
            case "longValue" -> statement.setLong(index, (Long) value.value());
            case "doubleValue" -> statement.setDouble(index, (Double) value.value());
            case "blobValue" -> statement.setBytes(index, (byte[]) value.value());
            case "stringValue" -> statement.setObject(index, typed((String) value.value(), value.typeHint()));
            default -> throw new IllegalStateException("unexpected member " + value.member());
        }
    }

    private static PGobject typed(String text, String typeHint) throws SQLException {
        String type;
        if (typeHint == null) {
            type = "text";
        } else {
            type = switch (typeHint) {
                case "UUID" -> "uuid";
                case "JSON" -> "json";
                case "DECIMAL" -> "numeric";
                case "DATE" -> checkFormat(text, "dddd-dd-dd", false, "Date", "date");
                case "TIME" -> checkFormat(text, "dd:dd:dd", true, "Time", "time");
                case "TIMESTAMP" -> checkFormat(text, "dddd-dd-dd dd:dd:dd", true, "TimeStamp", "timestamp");
                default -> throw new IllegalStateException("unexpected type hint " + typeHint);
            };
        }
        PGobject object = new PGobject();
        object.setType(type);
        object.setValue(text);
        return object;
    }

    /**
     * Checks a DATE, TIME or TIMESTAMP value against its documented format ({@code d} a digit; with {@code fraction},
     * optionally {@code .} and up to nine digits after it) and fails as the service does: DatabaseErrorException
     * "Parse Error for TimeStamp: input contains invalid characters" (observed for an ISO value); the other reasons
     * and the Date and Time labels follow the same parser's wording (inferred, see docs/local-data-api.md).
     */
    private static String checkFormat(String text, String template, boolean fraction, String label, String type) {
        String problem = formatProblem(text, template, fraction);
        if (problem != null) {
            throw new DataApiException(ErrorType.DatabaseErrorException, "Parse Error for " + label + ": " + problem);
        }
        return type;
    }

    private static String formatProblem(String text, String template, boolean fraction) {
        for (int i = 0; i < template.length(); i++) {
            if (i == text.length()) {
                return "premature end of input";
            }
            char expected = template.charAt(i);
            char actual = text.charAt(i);
            if (expected == 'd' ? actual < '0' || actual > '9' : actual != expected) {
                return "input contains invalid characters";
            }
        }
        String rest = text.substring(template.length());
        if (fraction) {
            rest = rest.replaceFirst("^\\.\\d{1,9}", "");
        }
        return rest.isEmpty() ? null : "trailing input";
    }
}
