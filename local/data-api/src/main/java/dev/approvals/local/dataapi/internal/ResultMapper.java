package dev.approvals.local.dataapi.internal;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.postgresql.core.BaseConnection;
import org.postgresql.util.PGobject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a JDBC result set into the Data API's {@code records} / {@code columnMetadata} or {@code formattedRecords},
 * following the service's PostgreSQL-to-{@code Field} mapping: integers as {@code longValue} (oid as a string),
 * floats as {@code doubleValue} (a real as the decimal PostgreSQL prints, not widened), numeric as
 * {@code stringValue}, bool as {@code booleanValue}, bytea as a base64 {@code blobValue}, one-dimensional arrays as
 * {@code arrayValue}, timestamps with PostgreSQL's own precision (timestamptz as the UTC wall clock without an
 * offset), and everything else as its PostgreSQL text. Unsupported types, multidimensional arrays and results over
 * the size limit fail with {@code UnsupportedResultException}; {@code infinity} dates fail with
 * {@code InternalFailure}, as on AWS.
 */
public final class ResultMapper {

    /** How to render a result; see the {@code ExecuteStatement} request members of the same names. */
    public record Options(boolean includeResultMetadata, boolean formatAsJson, boolean decimalAsNumber,
                          boolean longAsString, int maxResultBytes) {
    }

    /** A mapped result: {@code records}+{@code columnMetadata}, or {@code formattedRecords}; and the row count. */
    public record Mapped(ArrayNode records, ArrayNode columnMetadata, String formattedRecords, int rowCount) {
    }

    /** Types the service refuses to return (see docs/local-data-api.md, "Fidelity", for the evidence). */
    private static final Set<String> UNSUPPORTED = Set.of("interval", "xml", "regtype", "regclass", "regproc",
            "regprocedure", "regoper", "regoperator", "regconfig", "regdictionary", "regnamespace", "regrole",
            "regcollation", "macaddr", "macaddr8", "int8range", "daterange", "tsrange", "int8multirange",
            "datemultirange", "tsmultirange");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private enum Kind { LONG, STRING_OF_NUMBER, DOUBLE, DECIMAL, BOOLEAN, BLOB, ARRAY, TIMESTAMP, TIMESTAMPTZ, DATE,
        TEXT }

    private final ObjectMapper mapper;

    public ResultMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Mapped map(ResultSet rs, Connection connection, Options options) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int columns = md.getColumnCount();
        Kind[] kinds = new Kind[columns + 1];
        String[] typeNames = new String[columns + 1];
        String[] labels = new String[columns + 1];
        for (int c = 1; c <= columns; c++) {
            typeNames[c] = md.getColumnTypeName(c);
            kinds[c] = kindOf(md.getColumnType(c), typeNames[c]);
            labels[c] = md.getColumnLabel(c);
        }
        if (options.formatAsJson()) {
            Set<String> seen = new HashSet<>();
            for (int c = 1; c <= columns; c++) {
                if (!seen.add(labels[c])) {
                    throw DataApiException.unsupportedResult("The result contains duplicate column names (\""
                            + labels[c] + "\"), which formatRecordsAs JSON cannot represent");
                }
            }
        }
        ArrayNode records = NODES.arrayNode();
        long size = 2;
        int rows = 0;
        while (rs.next()) {
            JsonNode row = options.formatAsJson() ? NODES.objectNode() : NODES.arrayNode();
            for (int c = 1; c <= columns; c++) {
                JsonNode value = value(rs, c, kinds[c], typeNames[c], options);
                if (row instanceof ObjectNode object) {
                    object.set(labels[c], value);
                } else {
                    ((ArrayNode) row).add(value);
                }
            }
            // no limit per row: the service returns rows far over its documented 64 KB (see the docs)
            size += byteSize(row) + 1;
            if (options.maxResultBytes() > 0 && size > options.maxResultBytes()) {
                throw DataApiException.unsupportedResult("The result exceeds the size limit "
                        + describeLimit(options.maxResultBytes()));
            }
            records.add(row);
            rows++;
        }
        if (options.formatAsJson()) {
            return new Mapped(null, null, write(records), rows);
        }
        ArrayNode metadata = options.includeResultMetadata() ? metadata(md, connection, typeNames) : null;
        return new Mapped(records, metadata, null, rows);
    }

    private static String describeLimit(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }

    private static Kind kindOf(int sqlType, String typeName) {
        String bare = typeName.replace("\"", "");
        String element = bare.startsWith("_") ? bare.substring(1) : bare;
        if (element.equals("char")) {
            throw DataApiException.unsupportedResult("The result contains the unsupported data type \"CHAR\".");
        }
        if (UNSUPPORTED.contains(element)) {
            throw DataApiException.unsupportedResult("The result contains the unsupported data type " + bare);
        }
        if (typeName.equals("oid") || typeName.equals("money")) {
            return Kind.STRING_OF_NUMBER;
        }
        return switch (sqlType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Kind.LONG;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> Kind.DOUBLE;
            case Types.NUMERIC, Types.DECIMAL -> Kind.DECIMAL;
            case Types.BOOLEAN -> Kind.BOOLEAN;
            case Types.BIT -> typeName.equals("bool") ? Kind.BOOLEAN : Kind.TEXT;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BLOB;
            case Types.ARRAY -> Kind.ARRAY;
            case Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMPTZ;
            case Types.TIMESTAMP -> typeName.equals("timestamptz") ? Kind.TIMESTAMPTZ : Kind.TIMESTAMP;
            case Types.DATE -> Kind.DATE;
            default -> Kind.TEXT;
        };
    }

    private JsonNode value(ResultSet rs, int c, Kind kind, String typeName, Options options) throws SQLException {
        boolean json = options.formatAsJson();
        switch (kind) {
            case LONG -> {
                long v = rs.getLong(c);
                if (rs.wasNull()) {
                    return nullValue(json);
                }
                return options.longAsString() ? field(json, "stringValue", NODES.textNode(Long.toString(v)))
                        : field(json, "longValue", NODES.numberNode(v));
            }
            case DOUBLE -> {
                double v = typeName.equals("float4") ? printed(rs.getFloat(c)) : rs.getDouble(c);
                return rs.wasNull() ? nullValue(json) : field(json, "doubleValue", doubleNode(v));
            }
            case BOOLEAN -> {
                boolean v = rs.getBoolean(c);
                return rs.wasNull() ? nullValue(json) : field(json, "booleanValue", NODES.booleanNode(v));
            }
            case BLOB -> {
                byte[] v = rs.getBytes(c);
                return v == null ? nullValue(json)
                        : field(json, "blobValue", NODES.textNode(Base64.getEncoder().encodeToString(v)));
            }
            case DECIMAL -> {
                String text = rs.getString(c);
                if (text == null) {
                    return nullValue(json);
                }
                if (!options.decimalAsNumber()) {
                    return field(json, "stringValue", NODES.textNode(text));
                }
                return decimalAsNumber(text, json);
            }
            case ARRAY -> {
                return arrayValue(rs, c, typeName, json);
            }
            case TIMESTAMP, TIMESTAMPTZ, DATE -> {
                return dateTimeValue(rs, c, kind, json);
            }
            default -> {
                String text = rs.getString(c);
                return text == null ? nullValue(json) : field(json, "stringValue", NODES.textNode(text));
            }
        }
    }

    /** An {@code arrayValue} of one member kind; arrays of infinite dates fail as the service does. */
    private JsonNode arrayValue(ResultSet rs, int c, String typeName, boolean json) throws SQLException {
        Array array = rs.getArray(c);
        if (array == null) {
            return nullValue(json);
        }
        try {
            if (typeName.matches("_(date|timestamp|timestamptz)") && array.toString().contains("infinity")) {
                throw DataApiException.internalFailure();
            }
            ArrayNode values = NODES.arrayNode();
            String member = arrayMember(typeName, (Object[]) array.getArray(), values);
            if (json) {
                return values;
            }
            ObjectNode arrayValue = NODES.objectNode();
            arrayValue.set(member, values);
            return field(false, "arrayValue", arrayValue);
        } finally {
            array.free();
        }
    }

    /** Dates as PostgreSQL prints them; timestamps as UTC wall-clock text; infinity fails as the service does. */
    private JsonNode dateTimeValue(ResultSet rs, int c, Kind kind, boolean json) throws SQLException {
        String text = rs.getString(c);
        if (text == null) {
            return nullValue(json);
        }
        if (text.equals("infinity") || text.equals("-infinity")) {
            throw DataApiException.internalFailure();
        }
        if (kind == Kind.DATE) {
            return field(json, "stringValue", NODES.textNode(text));
        }
        LocalDateTime wallClock = kind == Kind.TIMESTAMPTZ
                ? rs.getObject(c, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                : rs.getObject(c, LocalDateTime.class);
        return field(json, "stringValue", NODES.textNode(formatTimestamp(wallClock)));
    }

    /**
     * The Data API's timestamp text, PostgreSQL's own rendering: {@code yyyy-MM-dd HH:mm:ss}, then the microseconds
     * without trailing zeros, and no fraction at all when they are zero ({@code .123456}, {@code .78018}).
     */
    public static String formatTimestamp(LocalDateTime t) {
        String seconds = t.format(SECONDS);
        int micros = t.getNano() / 1_000;
        if (micros == 0) {
            return seconds;
        }
        String fraction = String.format("%06d", micros);
        return seconds + "." + fraction.replaceFirst("0+$", "");
    }

    /** The decimal PostgreSQL prints for a real, as a double: 3.14, not the widened 3.140000104904175. */
    private static double printed(float v) {
        return Double.parseDouble(Float.toString(v));
    }

    private static JsonNode decimalAsNumber(String text, boolean json) {
        BigDecimal v;
        try {
            v = new BigDecimal(text);
        } catch (NumberFormatException e) { // NaN, Infinity
            return field(json, "doubleValue", doubleNode(Double.parseDouble(text)));
        }
        if (v.scale() <= 0) {
            try {
                return field(json, "longValue", NODES.numberNode(v.longValueExact()));
            } catch (ArithmeticException tooBig) {
                // fall through to double
            }
        }
        return field(json, "doubleValue", doubleNode(v.doubleValue()));
    }

    private static String arrayMember(String typeName, Object[] elements, ArrayNode out) {
        String base = typeName.startsWith("_") ? typeName.substring(1) : typeName;
        String member = switch (base) {
            case "int2", "int4", "int8" -> "longValues";
            case "float4", "float8" -> "doubleValues";
            case "bool" -> "booleanValues";
            default -> "stringValues";
        };
        for (Object element : elements) {
            if (element == null) {
                out.addNull();
            } else if (element.getClass().isArray() && !(element instanceof byte[])) {
                throw DataApiException.unsupportedResult("The result contains a multidimensional array");
            } else if (element instanceof Number n && member.equals("longValues")) {
                out.add(n.longValue());
            } else if (element instanceof Float f) {
                out.add(doubleNode(printed(f)));
            } else if (element instanceof Number n && member.equals("doubleValues")) {
                out.add(doubleNode(n.doubleValue()));
            } else if (element instanceof Boolean b) {
                out.add(b);
            } else if (element instanceof BigDecimal d) {
                out.add(d.toPlainString());
            } else if (element instanceof Timestamp ts) {
                LocalDateTime wallClock = base.equals("timestamptz")
                        ? ts.toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime() : ts.toLocalDateTime();
                out.add(formatTimestamp(wallClock));
            } else if (element instanceof Date d) {
                out.add(d.toLocalDate().toString());
            } else if (element instanceof byte[] bytes) {
                out.add(Base64.getEncoder().encodeToString(bytes));
            } else if (element instanceof PGobject o) {
                out.add(o.getValue());
            } else {
                out.add(element.toString());
            }
        }
        return member;
    }

    private ArrayNode metadata(ResultSetMetaData md, Connection connection, String[] typeNames) throws SQLException {
        ArrayNode list = NODES.arrayNode();
        for (int c = 1; c <= md.getColumnCount(); c++) {
            ObjectNode column = list.addObject();
            int arrayBase = 0;
            if (md.getColumnType(c) == Types.ARRAY && typeNames[c].startsWith("_")) {
                arrayBase = connection.unwrap(BaseConnection.class).getTypeInfo()
                        .getSQLType(typeNames[c].substring(1));
            }
            column.put("arrayBaseColumnType", arrayBase);
            column.put("isAutoIncrement", md.isAutoIncrement(c));
            column.put("isCaseSensitive", md.isCaseSensitive(c));
            column.put("isCurrency", md.isCurrency(c));
            column.put("isSigned", md.isSigned(c));
            column.put("label", md.getColumnLabel(c));
            column.put("name", md.getColumnName(c));
            column.put("nullable", md.isNullable(c));
            column.put("precision", md.getPrecision(c));
            column.put("scale", md.getScale(c));
            column.put("schemaName", nullToEmpty(md.getSchemaName(c)));
            column.put("tableName", nullToEmpty(md.getTableName(c)));
            column.put("type", md.getColumnType(c));
            column.put("typeName", typeNames[c]);
        }
        return list;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static JsonNode doubleNode(double v) {
        if (Double.isNaN(v)) {
            return NODES.textNode("NaN");
        }
        if (Double.isInfinite(v)) {
            return NODES.textNode(v > 0 ? "Infinity" : "-Infinity");
        }
        return NODES.numberNode(v);
    }

    private static JsonNode field(boolean json, String member, JsonNode value) {
        if (json) {
            return value;
        }
        ObjectNode field = NODES.objectNode();
        field.set(member, value);
        return field;
    }

    private static JsonNode nullValue(boolean json) {
        if (json) {
            return NODES.nullNode();
        }
        ObjectNode field = NODES.objectNode();
        field.put("isNull", true);
        return field;
    }

    private int byteSize(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
