package dev.approvals.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The stand-in's HTTP surface: {@code POST /} with {@code X-Amz-Target: AWSEvents.PutEvents} (AWS JSON 1.1) and
 * {@code GET /_local/events}. Errors are answered in the service's shape ({@code x-amzn-ErrorType} header,
 * {@code {"__type", "message"}} body); an unexpected failure is a 500 {@code InternalException} that names no
 * internals.
 */
final class EventBridgeHttp {

    static final String EVENTS_PATH = "/_local/events";
    private static final String TARGET_PREFIX = "AWSEvents.";
    private static final String JSON_11 = "application/x-amz-json-1.1";
    /** Far above the 256 KB of entries, so that the size check answers, not a broken connection. */
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final LocalEventBridge bridge;
    private final PutEvents putEvents;
    private final ObjectMapper json;
    private final Clock clock;
    private final Consumer<String> log;

    EventBridgeHttp(LocalEventBridge bridge, PutEvents putEvents, ObjectMapper json, Clock clock,
                    Consumer<String> log) {
        this.bridge = bridge;
        this.putEvents = putEvents;
        this.json = json;
        this.clock = clock;
        this.log = log;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            try {
                route(exchange, body);
            } catch (ApiException e) {
                error(exchange, 400, e.type(), e.getMessage());
            } catch (RuntimeException e) {
                log.accept("internal error: " + e);
                error(exchange, 500, "InternalException", "The local EventBridge stand-in failed to handle the request.");
            }
        }
    }

    private void route(HttpExchange exchange, byte[] body) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (path.equals(EVENTS_PATH) || path.equals(EVENTS_PATH + "/")) {
            if (!method.equals("GET")) {
                error(exchange, 405, "MethodNotAllowed", "Use GET " + EVENTS_PATH);
                return;
            }
            respond(exchange, 200, "application/json", bridge.receivedJson());
            return;
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!method.equals("POST") || !path.equals("/") || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new ApiException("UnknownOperationException", "Expected POST / with X-Amz-Target: "
                    + TARGET_PREFIX + "PutEvents, or GET " + EVENTS_PATH);
        }
        String operation = target.substring(TARGET_PREFIX.length());
        if (!operation.equals("PutEvents")) {
            throw new ApiException("UnknownOperationException", "The local EventBridge stand-in supports PutEvents "
                    + "only, not " + operation.replaceAll("[^A-Za-z0-9]", "") + ".");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException("ValidationException", "Total size of the entries in the request is over the limit.");
        }
        PutEvents.Result result = putEvents.handle(body, clock.instant());
        bridge.route(result.accepted());
        log.accept("PutEvents: " + result.accepted().size() + " accepted, "
                + result.response().get("FailedEntryCount").asInt() + " failed");
        respond(exchange, 200, JSON_11, result.response());
    }

    private void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        respond(exchange, status, JSON_11, json.createObjectNode().put("__type", type).put("message", message));
    }

    private void respond(HttpExchange exchange, int status, String contentType, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
