package dev.approvals.local.stepfunctions;

import dev.approvals.local.loopback.LoopbackServer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Step Functions task-callback API on loopback: {@code SendTaskSuccess}, {@code SendTaskFailure} and
 * {@code SendTaskHeartbeat} over the JSON 1.0 protocol ({@code X-Amz-Target: AWSStepFunctions.<Operation>}), so
 * the unmodified SDK {@code SfnClient} and the AWS CLI can call it.
 *
 * <p>Every well-formed token names an open task until a success or failure closes it; using a closed token again
 * is refused with {@code TaskTimedOut}, as AWS does. Every call is recorded, accepted or not.
 */
public final class LocalStepFunctions implements AutoCloseable {

    /** A task token is at most 2048 characters (SendTaskSuccess API reference). */
    static final int MAX_TOKEN_LENGTH = 2048;
    /** Output and cause limits of the real service. */
    static final int MAX_OUTPUT_BYTES = 256 * 1024;
    static final int MAX_CAUSE_LENGTH = 32768;
    static final int MAX_ERROR_LENGTH = 256;

    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> closedTokens = ConcurrentHashMap.newKeySet();
    private final List<Callback> callbacks = new ArrayList<>();
    private final AtomicInteger failNextCalls = new AtomicInteger();
    private final LoopbackServer server;

    private LocalStepFunctions(int port) {
        // the fields above are set before the server can call handle
        this.server = LoopbackServer.on(port).threads(LoopbackServer.pool("local-step-functions", 8))
                .handle("/", this::handle).start();
    }

    /** Starts on loopback; port 0 picks a free port. */
    public static LocalStepFunctions start(int port) {
        return new LocalStepFunctions(port);
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** Every call received so far, in arrival order. */
    public synchronized List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    /** Calls that closed a task: at most one per token, by construction. */
    public synchronized List<Callback> accepted() {
        return callbacks.stream().filter(c -> c.outcome() == Outcome.ACCEPTED && !c.operation().equals("SendTaskHeartbeat")).toList();
    }

    /** Answers the next {@code calls} calls with HTTP 500 {@code ServiceUnavailable}, which the SDK retries. */
    public void failNextCalls(int calls) {
        failNextCalls.set(calls);
    }

    /**
     * Answers every call only after {@code latency} ({@link java.time.Duration#ZERO} to stop): a slow Step Functions.
     * The call still takes effect once the latency has passed, even if the client gave up waiting.
     */
    public void latency(java.time.Duration latency) {
        this.latency = latency;
    }

    public synchronized void reset() {
        callbacks.clear();
        closedTokens.clear();
        failNextCalls.set(0);
        latency = java.time.Duration.ZERO;
    }

    @Override
    public void close() {
        server.close();
    }

    private volatile java.time.Duration latency = java.time.Duration.ZERO;

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, error("UnknownOperationException", "Only POST is supported"));
                return;
            }
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                respond(exchange, 400, error("UnknownOperationException", "Missing or unknown X-Amz-Target"));
                return;
            }
            String operation = target.substring(TARGET_PREFIX.length());
            JsonNode request;
            try {
                request = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            } catch (JsonProcessingException e) {
                respond(exchange, 400, error("SerializationException", "The request body is not valid JSON"));
                return;
            }
            if (failNextCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                record(operation, request, Outcome.FAILED_BY_FAULT);
                respond(exchange, 500, error("ServiceUnavailable", "Injected fault"));
                return;
            }
            Reply reply = switch (operation) {
                case "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat" -> decide(operation, request);
                default -> new Reply(400, error("UnknownOperationException", "Unsupported operation " + operation));
            };
            respond(exchange, reply.status, reply.body);
        }
    }

    private synchronized Reply decide(String operation, JsonNode request) {
        String token = text(request, "taskToken");
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            record(operation, request, Outcome.REJECTED);
            return new Reply(400, error("InvalidToken", "Invalid token"));
        }
        if (operation.equals("SendTaskSuccess")) {
            String output = text(request, "output");
            if (output == null || output.getBytes(StandardCharsets.UTF_8).length > MAX_OUTPUT_BYTES || !isJson(output)) {
                record(operation, request, Outcome.REJECTED);
                return new Reply(400, error("InvalidOutput", "The output must be a JSON text of at most 256 KiB"));
            }
        }
        if (operation.equals("SendTaskFailure")) {
            String error = text(request, "error");
            String cause = text(request, "cause");
            if ((error != null && error.length() > MAX_ERROR_LENGTH) || (cause != null && cause.length() > MAX_CAUSE_LENGTH)) {
                record(operation, request, Outcome.REJECTED);
                return new Reply(400, error("ValidationException", "error or cause too long"));
            }
        }
        if (closedTokens.contains(token)) {
            record(operation, request, Outcome.REJECTED);
            return new Reply(400, error("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'"));
        }
        if (!operation.equals("SendTaskHeartbeat")) {
            closedTokens.add(token);
        }
        record(operation, request, Outcome.ACCEPTED);
        return new Reply(200, JSON.createObjectNode());
    }

    private synchronized void record(String operation, JsonNode request, Outcome outcome) {
        callbacks.add(new Callback(operation, text(request, "taskToken"), text(request, "output"),
                text(request, "error"), text(request, "cause"), outcome, Instant.now()));
    }

    private static boolean isJson(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (status >= 400) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", body.get("__type").asText());
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private record Reply(int status, JsonNode body) {
    }

    /** What happened to a call. */
    public enum Outcome {
        /** The call closed (or, for a heartbeat, touched) an open task. */
        ACCEPTED,
        /** Refused as AWS would: closed token, malformed token or output. */
        REJECTED,
        /** Answered with an injected 500. */
        FAILED_BY_FAULT
    }

    /** One recorded call. */
    public record Callback(String operation, String taskToken, String output, String error, String cause,
                           Outcome outcome, Instant receivedAt) {
    }
}
