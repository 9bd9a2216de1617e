package dev.approvals.functions.migrate;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Stands in for CloudFormation's pre-signed S3 response URL: a loopback server that keeps what is PUT to it. */
final class ResponseUrlReceiver implements AutoCloseable {

    /** One request as received. */
    record Received(String method, String contentType, Map<String, Object> body) {
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    ResponseUrlReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] bytes = exchange.getRequestBody().readAllBytes();
                received.add(new Received(exchange.getRequestMethod(),
                        exchange.getRequestHeaders().getFirst("Content-Type"), JSON.std.mapFrom(bytes)));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    /** A URL shaped like a pre-signed S3 URL. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/cloudformation-custom-resource-response?X-Amz-Signature=not-a-secret");
    }

    /** The requests received so far, oldest first, removing them. */
    Received take() {
        Received next = received.poll();
        if (next == null) {
            throw new AssertionError("Nothing was sent to the response URL");
        }
        return next;
    }

    boolean nothingMore() {
        return received.isEmpty();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
