package dev.approvals.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON in and out with jackson-jr: maps, lists, strings, numbers and booleans only, no reflection on our
 * classes. It loads a fraction of jackson-databind's classes, which matters at cold start.
 */
public final class Json {

    private static final JSON READER = JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);

    private Json() {
    }

    /**
     * Parses one JSON value; trailing content and duplicate keys are errors.
     *
     * @throws MalformedJsonException with a message fit to show a caller (no input echoed back)
     */
    public static Object parse(byte[] json) {
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

    private static String describe(JsonProcessingException e) {
        // The original message quotes the offending input; keep only the location.
        var location = e.getLocation();
        return location == null
                ? "it is not valid JSON"
                : "it is not valid JSON (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The text is not one well-formed JSON value. */
    public static final class MalformedJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String reason) {
            super(reason, null, false, false);
        }
    }
}
