package dev.approvals.local.dataapi.internal;

import java.net.URI;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.approvals.local.loopback.LoopbackServer;

/**
 * The emulator on loopback: the Data API's rest-json operations ({@link ApiHandler}) and the emulator's own admin
 * endpoints under {@code /_emulator/} ({@link AdminHandler}), each behind the same error answers
 * ({@link JsonExchanges}). Every response carries {@code x-amzn-RequestId} and {@code Content-Type: application/json}.
 */
public final class DataApiHttpServer implements AutoCloseable {

    private final LoopbackServer server;

    private DataApiHttpServer(LoopbackServer server) {
        this.server = server;
    }

    /**
     * Binds 127.0.0.1:{@code port} (0: any free port) and serves with {@code threads} worker threads, which bound how
     * many statements run at once.
     */
    public static DataApiHttpServer start(int port, int threads, DataApiService service, Calls calls, Faults faults,
                                          ObjectMapper mapper, int maxRequestBytes, Supplier<ObjectNode> info) {
        JsonExchanges json = new JsonExchanges(mapper, maxRequestBytes);
        return new DataApiHttpServer(LoopbackServer.on(port).backlog(256)
                .threads(LoopbackServer.pool("data-api-http", threads))
                .handle("/", json.guard(new ApiHandler(json, service, calls, faults)))
                .handle(AdminHandler.PREFIX, json.guard(new AdminHandler(json, calls, faults, info)))
                .start());
    }

    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        server.close();
    }
}
