package dev.approvals.local.dataapi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The rest-json front of the emulator on loopback: {@code POST /Execute}, {@code /BatchExecute},
 * {@code /BeginTransaction}, {@code /CommitTransaction}, {@code /RollbackTransaction}, {@code /ExecuteSql}; and the
 * emulator's own admin endpoints under {@code /_emulator/} (call counters, faults, info).
 *
 * <p>Every response carries {@code x-amzn-RequestId} and {@code Content-Type: application/json}; errors carry
 * {@code x-amzn-ErrorType} and a {@code {"__type","message"}} body, so the unmodified SDK raises the exception class
 * of that name. Nothing a client sends can make it answer with a stack trace or stop serving.
 */
public final class DataApiHttpServer implements AutoCloseable {

    public static final String ADMIN_PREFIX = "/_emulator/";

    private static final Logger LOG = LoggerFactory.getLogger(DataApiHttpServer.class);
    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final DataApiService service;
    private final Calls calls;
    private final Faults faults;
    private final ObjectMapper mapper;
    private final int maxRequestBytes;
    private final Supplier<ObjectNode> info;

    private DataApiHttpServer(HttpServer server, ThreadPoolExecutor executor, DataApiService service, Calls calls,
                              Faults faults, ObjectMapper mapper, int maxRequestBytes, Supplier<ObjectNode> info) {
        this.server = server;
        this.executor = executor;
        this.service = service;
        this.calls = calls;
        this.faults = faults;
        this.mapper = mapper;
        this.maxRequestBytes = maxRequestBytes;
        this.info = info;
    }

    /** Binds {@code address} (port 0: any free port) and starts serving with {@code threads} worker threads. */
    public static DataApiHttpServer start(InetSocketAddress address, int threads, DataApiService service, Calls calls,
                                          Faults faults, ObjectMapper mapper, int maxRequestBytes,
                                          Supplier<ObjectNode> info) throws IOException {
        HttpServer server = HttpServer.create(address, 256);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "data-api-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        DataApiHttpServer front = new DataApiHttpServer(server, executor, service, calls, faults, mapper,
                maxRequestBytes, info);
        server.createContext("/", front::handle);
        server.start();
        return front;
    }

    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    private void handle(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith(ADMIN_PREFIX)) {
                handleAdmin(exchange, path.substring(ADMIN_PREFIX.length()), requestId);
                return;
            }
            Optional<Operation> operation = Operation.forPath(path);
            if (operation.isEmpty()) {
                sendError(exchange, requestId, new DataApiException(ErrorType.UnknownOperationException,
                        "No operation matches " + exchange.getRequestMethod() + " " + path));
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                sendError(exchange, requestId, 405, new DataApiException(ErrorType.UnknownOperationException,
                        operation.get().name() + " is POST " + path + ", not " + exchange.getRequestMethod()));
                return;
            }
            calls.increment(operation.get());
            faults.applyLatency();
            JsonNode body = readJson(exchange);
            ObjectNode response = service.handle(operation.get(), body);
            send(exchange, requestId, 200, response, null);
            LOG.debug("{} {} -> 200", requestId, operation.get());
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
    }

    private JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] bytes = readBody(exchange);
        if (isBlank(bytes)) {
            return mapper.createObjectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw DataApiException.serialization("The request body is not valid JSON: "
                    + e.getOriginalMessage());
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

    // ---- admin endpoints ----------------------------------------------------------------------------------------

    private void handleAdmin(HttpExchange exchange, String route, String requestId) throws IOException {
        String method = exchange.getRequestMethod();
        try {
            switch (route) {
                case "health" -> send(exchange, requestId, 200, mapper.createObjectNode().put("status", "ok"), null);
                case "info" -> send(exchange, requestId, 200, info.get(), null);
                case "calls" -> {
                    if (method.equals("DELETE")) {
                        calls.reset();
                    } else if (!method.equals("GET")) {
                        throw new IllegalArgumentException("Use GET or DELETE on /_emulator/calls");
                    }
                    send(exchange, requestId, 200, callsJson(), null);
                }
                case "faults" -> {
                    switch (method) {
                        case "GET" -> { }
                        case "DELETE" -> faults.clear();
                        case "POST" -> armFromJson(readJson(exchange));
                        default -> throw new IllegalArgumentException("Use GET, POST or DELETE on /_emulator/faults");
                    }
                    send(exchange, requestId, 200, faultsJson(), null);
                }
                default -> send(exchange, requestId, 404, mapper.createObjectNode().put("message",
                        "Unknown emulator endpoint " + ADMIN_PREFIX + route
                                + " (health, info, calls, faults)"), null);
            }
        } catch (IllegalArgumentException | DataApiException e) {
            send(exchange, requestId, 400, mapper.createObjectNode().put("message", e.getMessage()), null);
        }
    }

    private ObjectNode callsJson() {
        ObjectNode out = mapper.createObjectNode();
        ObjectNode counts = out.putObject("calls");
        calls.snapshot().forEach(counts::put);
        out.put("total", calls.total());
        return out;
    }

    private ObjectNode faultsJson() {
        ObjectNode out = mapper.createObjectNode();
        ArrayNode armed = out.putArray("armed");
        for (Faults.Armed fault : faults.armed()) {
            ObjectNode f = armed.addObject();
            f.put("fault", faultName(fault.kind()));
            if (fault.error() != null) {
                f.put("errorType", fault.error().name());
            }
            f.put("remaining", fault.remaining());
            ArrayNode ops = f.putArray("operations");
            fault.operations().forEach(op -> ops.add(op.name()));
        }
        out.putObject("latency").put("minMillis", faults.latencyMin().toMillis())
                .put("maxMillis", faults.latencyMax().toMillis());
        return out;
    }

    /**
     * Arms a fault from {@code {"fault": "resuming", "count": 3, "operations": ["ExecuteStatement"]}}; faults are
     * {@code resuming}, {@code unavailable-before-execute}, {@code unavailable-after-commit},
     * {@code statement-timeout}, {@code error} (with {@code "errorType"}) and {@code latency} (with {@code "millis"}
     * or {@code "minMillis"}/{@code "maxMillis"}).
     */
    private void armFromJson(JsonNode body) {
        String fault = body.path("fault").asText("");
        if (fault.equals("latency")) {
            long min = body.has("millis") ? body.get("millis").asLong() : body.path("minMillis").asLong(0);
            long max = body.has("millis") ? min : body.path("maxMillis").asLong(min);
            faults.latency(Duration.ofMillis(min), Duration.ofMillis(max));
            return;
        }
        Faults.Kind kind = parseFaultName(fault);
        int count = body.path("count").asInt(1);
        List<Operation> operations = new ArrayList<>();
        for (JsonNode op : body.path("operations")) {
            operations.add(Operation.named(op.asText()));
        }
        ErrorType error = kind == Faults.Kind.ERROR ? ErrorType.parse(body.path("errorType").asText("")) : null;
        faults.arm(kind, error, count, operations);
    }

    /** The admin/CLI name of a fault kind, e.g. {@code unavailable-after-commit}. */
    public static String faultName(Faults.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses an admin/CLI fault name. */
    public static Faults.Kind parseFaultName(String name) {
        for (Faults.Kind kind : Faults.Kind.values()) {
            if (faultName(kind).equals(name)) {
                return kind;
            }
        }
        List<String> names = new ArrayList<>();
        for (Faults.Kind kind : Faults.Kind.values()) {
            names.add(faultName(kind));
        }
        names.add("latency");
        throw new IllegalArgumentException("Unknown fault '" + name + "'; one of " + names);
    }

    // ---- responses ----------------------------------------------------------------------------------------------

    private void sendError(HttpExchange exchange, String requestId, DataApiException e) {
        sendError(exchange, requestId, e.type().status(), e);
    }

    private void sendError(HttpExchange exchange, String requestId, int status, DataApiException e) {
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

    private void send(HttpExchange exchange, String requestId, int status, JsonNode body, String errorType)
            throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", JSON);
        headers.set("x-amzn-RequestId", requestId);
        if (errorType != null) {
            headers.set("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** For tests and the CLI: what an admin {@code GET /_emulator/calls} would show. */
    public Map<String, Long> callSnapshot() {
        return calls.snapshot();
    }
}
