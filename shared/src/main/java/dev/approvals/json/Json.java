package dev.approvals.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * JSON in and out with jackson-jr: maps, lists, strings, numbers and booleans only, no reflection on our
 * classes. It loads a fraction of jackson-databind's classes, which matters at cold start.
 */
public final class Json {

    private static final JSON READER = JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);

    private Json() {
    }

    /**
     * Parses one JSON value from UTF-8 bytes; trailing content and duplicate keys are errors.
     *
     * <p>JSON exchanged between systems is UTF-8 (RFC 8259 §8.1). The bytes are decoded strictly first (no
     * replacement characters: overlong forms, encoded surrogates and truncated sequences are refused) and the
     * parser reads the decoded text, so Jackson's encoding detection, which would read UTF-16 or UTF-32, never runs.
     *
     * @throws MalformedJsonException with a message fit to show a caller (no input echoed back)
     */
    public static Object parse(byte[] json) {
        return parse(utf8(json));
    }

    private static Object parse(String json) {
        try (JsonParser parser = READER.getStreamingFactory().createParser(json)) {
            if (parser.nextToken() == null) {
                throw new MalformedJsonException("it is empty");
            }
            Object value = READER.anyFrom(parser);
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
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return JSON.std.asBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            // newDecoder() reports malformed input instead of replacing it
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                // never valid in JSON text; UTF-16 and UTF-32 put them between ASCII characters
                throw new MalformedJsonException("it contains NUL bytes, as UTF-16 or UTF-32 text does (JSON must be UTF-8)");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("it is not UTF-8 text (JSON must be UTF-8)");
        }
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
