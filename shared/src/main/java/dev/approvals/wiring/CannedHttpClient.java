package dev.approvals.wiring;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SDK HTTP client that never opens a connection: it reads each request's body, as a real client sends it, and
 * answers 200 with the next of its canned JSON bodies, round and round. For SnapStart priming and benchmarks.
 */
public final class CannedHttpClient implements SdkHttpClient {

    private final List<byte[]> bodies;
    private final AtomicInteger next = new AtomicInteger();

    public CannedHttpClient(List<byte[]> bodies) {
        if (bodies.isEmpty()) {
            throw new IllegalArgumentException("At least one canned answer is needed");
        }
        this.bodies = List.copyOf(bodies);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                if (request.contentStreamProvider().isPresent()) {
                    // Read as the URLConnection client sends it (the SDK's IoUtils.copy, through a 4 KiB buffer), so
                    // a benchmark counts what a real send costs, not transferTo's 16 KiB buffer.
                    try (InputStream sent = request.contentStreamProvider().get().newStream()) {
                        byte[] buffer = new byte[4096];
                        while (sent.read(buffer) >= 0) {
                            // the body goes nowhere
                        }
                    }
                }
                byte[] body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/json")
                                .putHeader("Content-Length", Integer.toString(body.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
                // nothing in flight
            }
        };
    }

    @Override
    public String clientName() {
        return "Canned";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
