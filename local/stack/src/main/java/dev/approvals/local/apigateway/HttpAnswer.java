package dev.approvals.local.apigateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP answer of the front door, and how an HTTP API (payload format 2.0) turns a function's result into one:
 * a JSON object with {@code statusCode} is a structured answer ({@code headers}, {@code multiValueHeaders},
 * {@code cookies} as {@code Set-Cookie}, {@code body}, {@code isBase64Encoded}); any other valid JSON is the body of
 * a 200 {@code application/json} answer. Anything else is malformed, which API Gateway answers with an error.
 */
public record HttpAnswer(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The function's answer cannot be turned into HTTP. */
    public static final class MalformedAnswerException extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;

        MalformedAnswerException(String message) {
            super(message);
        }
    }

    public HttpAnswer {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** API Gateway's own answers: {@code {"message": "..."}}. */
    public static HttpAnswer message(int status, String message) {
        byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        return new HttpAnswer(status, List.of(Map.entry("Content-Type", "application/json")), body);
    }

    /** Payload format 2.0's reading of a function result. */
    public static HttpAnswer fromFunction(byte[] payload) throws MalformedAnswerException {
        JsonNode result;
        try {
            result = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new MalformedAnswerException("the function's result is not JSON");
        } catch (IOException e) {
            throw new MalformedAnswerException(e.getMessage());
        }
        if (result == null || result.isMissingNode()) {
            throw new MalformedAnswerException("the function returned nothing");
        }
        if (!result.isObject() || !result.has("statusCode")) {
            // "If your function returns valid JSON without a statusCode, API Gateway assumes 200 and JSON"
            return new HttpAnswer(200, List.of(Map.entry("Content-Type", "application/json")), payload);
        }
        int status = status(result.get("statusCode"));
        List<Map.Entry<String, String>> headers = headers(result);
        JsonNode cookies = result.get("cookies");
        if (cookies != null && cookies.isArray()) {
            cookies.forEach(c -> headers.add(Map.entry("Set-Cookie", c.asText())));
        }
        return new HttpAnswer(status, headers, body(result));
    }

    /** A number, or three digits as text, from 100 to 599. */
    private static int status(JsonNode code) throws MalformedAnswerException {
        int status;
        if (code.isInt()) {
            status = code.intValue();
        } else if (code.isTextual() && code.asText().matches("\\d{3}")) {
            status = Integer.parseInt(code.asText());
        } else {
            throw new MalformedAnswerException("statusCode is not a number: " + code);
        }
        if (status < 100 || status > 599) {
            throw new MalformedAnswerException("statusCode out of range: " + status);
        }
        return status;
    }

    /** {@code headers}, then each value of {@code multiValueHeaders}; none may hold a line break. */
    private static List<Map.Entry<String, String>> headers(JsonNode result) throws MalformedAnswerException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        JsonNode single = result.get("headers");
        if (single != null && !single.isNull()) {
            if (!single.isObject()) {
                throw new MalformedAnswerException("headers is not an object");
            }
            single.properties().forEach(e -> headers.add(Map.entry(e.getKey(), scalar(e.getValue()))));
        }
        JsonNode multi = result.get("multiValueHeaders");
        if (multi != null && !multi.isNull()) {
            if (!multi.isObject()) {
                throw new MalformedAnswerException("multiValueHeaders is not an object");
            }
            for (var e : multi.properties()) {
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> headers.add(Map.entry(e.getKey(), scalar(v))));
                }
            }
        }
        for (Map.Entry<String, String> header : headers) {
            if ((header.getKey() + header.getValue()).chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new MalformedAnswerException("header " + header.getKey().strip() + " holds a line break");
            }
        }
        return headers;
    }

    /** The body as text, or decoded from base64 when {@code isBase64Encoded}; none: empty. */
    private static byte[] body(JsonNode result) throws MalformedAnswerException {
        JsonNode bodyNode = result.get("body");
        if (bodyNode == null || bodyNode.isNull()) {
            return new byte[0];
        }
        if (!bodyNode.isTextual()) {
            throw new MalformedAnswerException("body is not a string");
        }
        if (result.path("isBase64Encoded").asBoolean(false)) {
            try {
                return Base64.getDecoder().decode(bodyNode.asText());
            } catch (IllegalArgumentException e) {
                throw new MalformedAnswerException("isBase64Encoded is true but the body is not base64");
            }
        }
        return bodyNode.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static String scalar(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }
}
