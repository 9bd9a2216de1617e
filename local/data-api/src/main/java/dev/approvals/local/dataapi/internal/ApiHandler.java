package dev.approvals.local.dataapi.internal;

import java.io.IOException;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The Data API's rest-json operations: {@code POST /Execute}, {@code /BatchExecute}, {@code /BeginTransaction},
 * {@code /CommitTransaction}, {@code /RollbackTransaction}, {@code /ExecuteSql}; each call counted, then delayed if
 * latency is injected, then run.
 */
final class ApiHandler implements JsonExchanges.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final JsonExchanges json;
    private final DataApiService service;
    private final Calls calls;
    private final Faults faults;

    ApiHandler(JsonExchanges json, DataApiService service, Calls calls, Faults faults) {
        this.json = json;
        this.service = service;
        this.calls = calls;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange, String requestId) throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getPath();
        Optional<Operation> operation = Operation.forPath(path);
        if (operation.isEmpty()) {
            json.sendError(exchange, requestId, new DataApiException(ErrorType.UnknownOperationException,
                    "No operation matches " + exchange.getRequestMethod() + " " + path));
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            json.sendError(exchange, requestId, 405, new DataApiException(ErrorType.UnknownOperationException,
                    operation.get().name() + " is POST " + path + ", not " + exchange.getRequestMethod()));
            return;
        }
        calls.increment(operation.get());
        faults.applyLatency();
        JsonNode body = json.readJson(exchange);
        ObjectNode response = service.handle(operation.get(), body);
        json.send(exchange, requestId, 200, response, null);
        LOG.debug("{} {} -> 200", requestId, operation.get());
    }
}
