package dev.approvals.json;

import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonProcessingException;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out as maps, lists, strings, numbers, booleans and null, over the streaming Jackson core that the
 * AWS SDK shades and already loads for the Data API protocol: reading an event and writing an answer load no JSON
 * library of their own (jackson-jr cost 116 classes, about 55 ms, of every cold start).
 *
 * <p>Values read: objects as {@link LinkedHashMap} (member order kept), arrays as {@link ArrayList}, integers as
 * {@link Integer}, {@link Long} or {@link BigInteger} (the smallest that holds them), other numbers as
 * {@link BigDecimal}, exactly as written: an agent's {@code 12345678901234567.89} or {@code 1e400} is never rounded
 * to a double (nor turned into the string {@code "Infinity"}) on its way to the database, an approver or an action.
 * Written: the same, plus any {@link Collection}, {@link CharSequence}, other {@link Number}s and enums (by
 * {@code toString()}); anything else is a programming error. A {@link BigDecimal} is written in plain notation, as
 * PostgreSQL's jsonb gives it back ({@code 1E+2} as {@code 100}). A map's members whose value is null are left out
 * (an array's nulls are kept).
 */
public final class Json {

    /** Strict defaults (no comments, no single quotes, no unquoted names); its own, not the SDK's lenient one. */
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Beyond this a decimal is written in scientific notation (see {@link #writeDecimal}). */
    private static final int MAX_PLAIN_DIGITS = 1 << 20;

    private Json() {
    }

    /**
     * Parses one JSON value from UTF-8 bytes; trailing content and duplicate keys are errors.
     *
     * <p>JSON exchanged between systems is UTF-8 (RFC 8259 §8.1). The bytes are checked strictly first (no
     * replacement characters: overlong forms, encoded surrogates and truncated sequences are refused, and no NUL),
     * so Jackson's encoding detection, which would read UTF-16 or UTF-32, never sees anything but UTF-8.
     *
     * @throws MalformedJsonException with a message fit to show a caller (no input echoed back)
     */
    public static Object parse(byte[] json) {
        requireUtf8(json);
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedJsonException("it is empty");
            }
            Object value = read(parser, first);
            if (parser.nextToken() != null) {
                throw new MalformedJsonException("there is content after the JSON value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    public static byte[] writeBytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> readArray(parser);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> decimal(parser);
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new MalformedJsonException(at("unexpected token", parser));
        };
    }

    /** Exactly as written; an exponent beyond what BigDecimal holds ({@code 1e99999999999}) is malformed input. */
    private static BigDecimal decimal(JsonParser parser) throws IOException {
        try {
            return parser.getDecimalValue();
        } catch (NumberFormatException e) {
            throw new MalformedJsonException(at("number out of range", parser));
        }
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            if (object.containsKey(name)) {
                throw new MalformedJsonException(at("duplicate member", parser));
            }
            object.put(name, read(parser, parser.nextToken()));
        }
        return object;
    }

    private static List<Object> readArray(JsonParser parser) throws IOException {
        List<Object> array = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            array.add(read(parser, token));
        }
        return array;
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String text) { // the commonest value, by an exact class test
            out.writeString(text);
        } else if (value.getClass() == LinkedHashMap.class) {
            writeLinkedMap(out, (LinkedHashMap<?, ?>) value);
        } else if (value instanceof CharSequence text) {
            out.writeString(text.toString());
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> member : map.entrySet()) {
                writeMember(out, member.getKey(), member.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof Collection<?> items) {
            out.writeStartArray();
            for (Object item : items) {
                write(out, item);
            }
            out.writeEndArray();
        } else if (value instanceof Boolean bool) {
            out.writeBoolean(bool);
        } else if (value instanceof Number number) {
            writeNumber(out, number);
        } else if (value instanceof Enum<?> constant) {
            out.writeString(constant.toString());
        } else {
            throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
        }
    }

    /**
     * The maps the functions build (answers, log lines, parsed JSON) are all {@link LinkedHashMap}s: a loop of their
     * own sees one map class, so the JIT inlines its iteration instead of dispatching every call through an
     * interface (a sixth less time writing the log line, by JFR).
     */
    private static void writeLinkedMap(JsonGenerator out, LinkedHashMap<?, ?> map) throws IOException {
        out.writeStartObject();
        for (Map.Entry<?, ?> member : map.entrySet()) {
            writeMember(out, member.getKey(), member.getValue());
        }
        out.writeEndObject();
    }

    private static void writeMember(JsonGenerator out, Object name, Object value) throws IOException {
        if (value != null) { // members without a value are left out, as jackson-jr did
            out.writeFieldName(String.valueOf(name));
            write(out, value);
        }
    }

    private static void writeNumber(JsonGenerator out, Number number) throws IOException {
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            out.writeNumber(number.intValue());
        } else if (number instanceof Long l) {
            out.writeNumber(l);
        } else if (number instanceof Double d) {
            out.writeNumber(d);
        } else if (number instanceof Float f) {
            out.writeNumber(f);
        } else if (number instanceof BigInteger big) {
            out.writeNumber(big);
        } else if (number instanceof BigDecimal big) {
            writeDecimal(out, big);
        } else {
            out.writeNumber(number.toString());
        }
    }

    /**
     * Plain notation while it stays short enough to write ({@link #MAX_PLAIN_DIGITS} digits on either side of the
     * point; payloads are refused long before that, see {@code ProposalFields}); otherwise {@code 1E+999999999} as
     * is, rather than a gigabyte of zeros.
     */
    private static void writeDecimal(JsonGenerator out, BigDecimal number) throws IOException {
        if (digitsBeforePoint(number) <= MAX_PLAIN_DIGITS && number.scale() <= MAX_PLAIN_DIGITS) {
            out.writeNumber(number.toPlainString());
        } else {
            out.writeNumber(number.toString());
        }
    }

    /** How many digits {@code number} has before the decimal point in plain notation (0 for {@code 0.05}). */
    public static long digitsBeforePoint(BigDecimal number) {
        return Math.max((long) number.precision() - number.scale(), 0);
    }

    private static void requireUtf8(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b <= 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return; // nearly every event: nothing to decode
        }
        try {
            // newDecoder() reports malformed input instead of replacing it
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                // never valid in JSON text; UTF-16 and UTF-32 put them between ASCII characters
                throw new MalformedJsonException("it contains NUL bytes, as UTF-16 or UTF-32 text does (JSON must be UTF-8)");
            }
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("it is not UTF-8 text (JSON must be UTF-8)");
        }
    }

    private static String at(String what, JsonParser parser) {
        var location = parser.currentLocation();
        return what + " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(JsonProcessingException e) {
        // The original message quotes the offending input; keep only the location.
        var location = e.getLocation();
        return location == null
                ? "syntax error"
                : "syntax error at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The text is not one well-formed JSON value. */
    public static final class MalformedJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String reason) {
            super(reason, null, false, false);
        }
    }
}
