package dev.approvals.local.loopback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server on 127.0.0.1 (never another interface: these stand-ins take no credentials), with one small
 * handler per path prefix (the JDK picks the longest matching prefix) and its own threads, stopped together.
 *
 * <pre>{@code
 * LoopbackServer server = LoopbackServer.on(0).backlog(64).threads(LoopbackServer.pool("name", 8))
 *         .handle("/", api).handle("/_admin/", admin).start();
 * }</pre>
 */
public final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;

    private LoopbackServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** A server to be on {@code port} (0: any free port). */
    public static Builder on(int port) {
        return new Builder(port);
    }

    /** A virtual thread per exchange: for handlers that mostly wait (on a function, a queue, a process). */
    public static ExecutorService virtualThreads() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    /**
     * At most {@code size} daemon threads named {@code name-n}, idle ones ending after 30 s: for handlers that hold
     * a scarce resource (a database connection), so the pool bounds how many run at once.
     */
    public static ExecutorService pool(String name, int size) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Stops at once (exchanges in flight are cut off) and ends the threads. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** What to serve and how; {@link #start()} binds. */
    public static final class Builder {
        private final int port;
        private final Map<String, HttpHandler> handlers = new LinkedHashMap<>();
        private int backlog = 64;
        private ExecutorService threads;

        private Builder(int port) {
            this.port = port;
        }

        /** Connections the kernel queues before the server accepts them. */
        public Builder backlog(int connections) {
            this.backlog = connections;
            return this;
        }

        /** The threads that run the handlers (default: {@link #virtualThreads()}); closed with the server. */
        public Builder threads(ExecutorService executor) {
            this.threads = executor;
            return this;
        }

        /** {@code handler} answers every path under {@code prefix} that no longer prefix claims. */
        public Builder handle(String prefix, HttpHandler handler) {
            handlers.put(prefix, handler);
            return this;
        }

        /** Binds and starts serving; on failure the threads are closed and the error names the port. */
        public LoopbackServer start() {
            ExecutorService executor = threads != null ? threads : virtualThreads();
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                        backlog);
                handlers.forEach(server::createContext);
                server.setExecutor(executor);
                server.start();
                return new LoopbackServer(server, executor);
            } catch (IOException e) {
                executor.shutdownNow();
                throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
        }
    }
}
