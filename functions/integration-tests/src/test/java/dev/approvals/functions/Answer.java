package dev.approvals.functions;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.json.Json;
import dev.approvals.testing.TestContext;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A handler's answer to one invocation, read the way API Gateway or Step Functions would read it. */
record Answer(String raw, Map<String, Object> json) {

    /** Through the entry path the event's real caller uses (API Gateway: alias http; the state machine: workflow). */
    static Answer invoke(RequestStreamHandler handler, byte[] event) {
        return invoke(handler, event, TestContext.forEvent(event));
    }

    static Answer invoke(RequestStreamHandler handler, byte[] event, TestContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String raw = out.toString(StandardCharsets.UTF_8);
        return new Answer(raw, asMap(Json.parse(out.toByteArray())));
    }

    int status() {
        return (Integer) json.get("statusCode");
    }

    @SuppressWarnings("unchecked")
    Map<String, String> headers() {
        return (Map<String, String>) json.get("headers");
    }

    /** The HTTP body, parsed. */
    Map<String, Object> body() {
        return asMap(Json.parse(((String) json.get("body")).getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
