package dev.approvals.local.dataapi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * What the emulator's handlers share: a request id per exchange, reading a JSON object body within the size limit,
 * and answering JSON, errors as the service does ({@code x-amzn-ErrorType}, {@code {"__type","message"}}) so the
 * unmodified SDK raises the exception class of that name. Nothing a client sends makes it answer with a stack trace.
 */
final class JsonExchanges {

    /** A handler given the exchange's request id; what it throws is answered by {@link #guard}. */
    interface Handler {
        void handle(HttpExchange exchange, String requestId) throws IOException, InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(JsonExchanges.class);

    private final ObjectMapper mapper;
    private final int maxRequestBytes;

    JsonExchanges(ObjectMapper mapper, int maxRequestBytes) {
        this.mapper = mapper;
        this.maxRequestBytes = maxRequestBytes;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** {@code handler} with the emulator's error answers around it; the exchange is closed afterwards. */
    HttpHandler guard(Handler handler) {
        return exchange -> {
            String requestId = UUID.randomUUID().toString();
            try {
                handler.handle(exchange, requestId);
            } catch (DataApiException e) {
                LOG.debug("{} -> {} {}", requestId, e.type(), e.getMessage());
                sendError(exchange, requestId, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sendError(exchange, requestId, DataApiException.databaseUnavailable());
            } catch (RuntimeException | Error | IOException e) {
                LOG.error("{}: unexpected error while handling {} {}", requestId, exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), e);
                sendError(exchange, requestId, new DataApiException(ErrorType.InternalServerErrorException,
                        "An internal error occurred (request " + requestId + ")"));
            } finally {
                exchange.close();
            }
        };
    }

    /** The body as a JSON object; an empty body is {@code {}}. */
    JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] bytes = readBody(exchange);
        if (isBlank(bytes)) {
            return mapper.createObjectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw DataApiException.serialization("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return mapper.createObjectNode();
        }
        if (!node.isObject()) {
            throw DataApiException.serialization("The request body must be a JSON object");
        }
        return node;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(maxRequestBytes + 1);
            if (bytes.length > maxRequestBytes) {
                exchange.getResponseHeaders().set("Connection", "close");
                throw new DataApiException(ErrorType.RequestEntityTooLargeException,
                        "Request size exceeds the limit of " + maxRequestBytes + " bytes");
            }
            return bytes;
        }
    }

    void sendError(HttpExchange exchange, String requestId, DataApiException e) {
        sendError(exchange, requestId, e.type().status(), e);
    }

    void sendError(HttpExchange exchange, String requestId, int status, DataApiException e) {
        ObjectNode body = mapper.createObjectNode();
        body.put("__type", e.type().name());
        if (e.getMessage() != null) {
            body.put("message", e.getMessage());
        }
        if (e.dbConnectionId() != null) {
            body.put("dbConnectionId", e.dbConnectionId());
        }
        try {
            send(exchange, requestId, status, body, e.type().name());
        } catch (IOException io) {
            LOG.debug("{}: could not send the error response: {}", requestId, io.getMessage());
        }
    }

    /** A JSON answer; {@code errorType} (or null) becomes {@code x-amzn-ErrorType}. */
    void send(HttpExchange exchange, String requestId, int status, JsonNode body, String errorType)
            throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("x-amzn-RequestId", requestId);
        if (errorType != null) {
            headers.set("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
