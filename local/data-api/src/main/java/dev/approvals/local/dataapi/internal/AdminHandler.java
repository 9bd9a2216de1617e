package dev.approvals.local.dataapi.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The emulator's own endpoints under {@code /_emulator/}: {@code health}, {@code info}, {@code calls} (GET, DELETE
 * resets) and {@code faults} (GET, POST arms one, DELETE clears). A bad request is a 400 with a message.
 */
final class AdminHandler implements JsonExchanges.Handler {

    static final String PREFIX = "/_emulator/";

    private final JsonExchanges json;
    private final ObjectMapper mapper;
    private final Calls calls;
    private final Faults faults;
    private final Supplier<ObjectNode> info;

    AdminHandler(JsonExchanges json, Calls calls, Faults faults, Supplier<ObjectNode> info) {
        this.json = json;
        this.mapper = json.mapper();
        this.calls = calls;
        this.faults = faults;
        this.info = info;
    }

    @Override
    public void handle(HttpExchange exchange, String requestId) throws IOException {
        String route = exchange.getRequestURI().getPath().substring(PREFIX.length());
        try {
            JsonNode answer = switch (route) {
                case "health" -> mapper.createObjectNode().put("status", "ok");
                case "info" -> info.get();
                case "calls" -> calls(exchange.getRequestMethod());
                case "faults" -> faults(exchange);
                default -> null;
            };
            if (answer == null) {
                json.send(exchange, requestId, 404, mapper.createObjectNode().put("message",
                        "Unknown emulator endpoint " + PREFIX + route + " (health, info, calls, faults)"), null);
            } else {
                json.send(exchange, requestId, 200, answer, null);
            }
        } catch (IllegalArgumentException | DataApiException e) {
            json.send(exchange, requestId, 400, mapper.createObjectNode().put("message", e.getMessage()), null);
        }
    }

    private ObjectNode calls(String method) {
        if (method.equals("DELETE")) {
            calls.reset();
        } else if (!method.equals("GET")) {
            throw new IllegalArgumentException("Use GET or DELETE on /_emulator/calls");
        }
        ObjectNode out = mapper.createObjectNode();
        ObjectNode counts = out.putObject("calls");
        calls.snapshot().forEach(counts::put);
        out.put("total", calls.total());
        return out;
    }

    private ObjectNode faults(HttpExchange exchange) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "GET" -> { }
            case "DELETE" -> faults.clear();
            case "POST" -> arm(json.readJson(exchange));
            default -> throw new IllegalArgumentException("Use GET, POST or DELETE on /_emulator/faults");
        }
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
            if (fault.secretArn() != null) {
                f.put("secretArn", fault.secretArn());
            }
        }
        out.putObject("latency").put("minMillis", faults.latencyMin().toMillis())
                .put("maxMillis", faults.latencyMax().toMillis());
        return out;
    }

    /**
     * Arms a fault from {@code {"fault": "resuming", "count": 3, "operations": ["ExecuteStatement"]}}, optionally
     * with {@code "secretArn"} (only calls made with that secret take it); faults are
     * {@code resuming}, {@code unavailable-before-execute}, {@code unavailable-after-commit},
     * {@code statement-timeout}, {@code error} (with {@code "errorType"}) and {@code latency} (with {@code "millis"}
     * or {@code "minMillis"}/{@code "maxMillis"}).
     */
    private void arm(JsonNode body) {
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
        String secretArn = body.hasNonNull("secretArn") ? body.get("secretArn").asText() : null;
        faults.arm(kind, error, count, operations, secretArn);
    }

    /** The admin name of a fault kind, e.g. {@code unavailable-after-commit}. */
    static String faultName(Faults.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Faults.Kind parseFaultName(String name) {
        List<String> names = new ArrayList<>();
        for (Faults.Kind kind : Faults.Kind.values()) {
            if (faultName(kind).equals(name)) {
                return kind;
            }
            names.add(faultName(kind));
        }
        names.add("latency");
        throw new IllegalArgumentException("Unknown fault '" + name + "'; one of " + names);
    }
}
