package dev.approvals.local.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes a loopback-only server of this JVM (the local Data API) reachable from LocalStack's Lambda containers, which
 * reach the host as {@code host.docker.internal}: a TCP relay from a free port on every interface to the loopback
 * port. Only for the duration of a test.
 */
final class HostPortForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private HostPortForwarder(ServerSocket server) {
        this.server = server;
    }

    static HostPortForwarder toLoopback(int loopbackPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(0));
            HostPortForwarder forwarder = new HostPortForwarder(server);
            forwarder.threads.submit(() -> forwarder.accept(loopbackPort));
            return forwarder;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a port for the Lambda containers", e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    private Void accept(int loopbackPort) {
        while (!server.isClosed()) {
            try {
                Socket outside = server.accept();
                Socket inside = new Socket("127.0.0.1", loopbackPort);
                threads.submit(() -> pump(outside.getInputStream(), inside.getOutputStream(), inside));
                threads.submit(() -> pump(inside.getInputStream(), outside.getOutputStream(), outside));
            } catch (IOException closedOrRefused) {
                // the forwarder is closing, or the local Data API refused one connection: keep serving the others
            }
        }
        return null;
    }

    private static Void pump(InputStream from, OutputStream to, Socket toClose) {
        try (toClose) {
            from.transferTo(to);
        } catch (IOException connectionClosed) {
            // either side hung up
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
