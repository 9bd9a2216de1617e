package dev.approvals.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The production {@code dev.approvals.json.Json} (same API, same strictness), on jackson-databind instead of
 * jackson-jr: the bench's {@code databind} variant puts this class at the zip's root, ahead of the shared jar's.
 * Measured, never deployed.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    public static Object parse(byte[] json) {
        String text = utf8(json);
        if (text.isBlank()) {
            throw new MalformedJsonException("it is empty");
        }
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new MalformedJsonException(location == null ? "syntax error"
                    : "syntax error at line " + location.getLineNr() + ", column " + location.getColumnNr());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                throw new MalformedJsonException("it contains NUL bytes, as UTF-16 or UTF-32 text does (JSON must be UTF-8)");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("it is not UTF-8 text (JSON must be UTF-8)");
        }
    }

    /** The text is not one well-formed JSON value. */
    public static final class MalformedJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String reason) {
            super(reason, null, false, false);
        }
    }
}
