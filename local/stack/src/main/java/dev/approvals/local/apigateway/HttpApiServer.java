package dev.approvals.local.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.InvokeRequest;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.LogSink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP API front door on loopback: routes from the template, each request turned into a payload format 2.0
 * event for its function and the function's answer turned back into HTTP, with API Gateway's own answers where it
 * would give them:
 * <ul>
 *   <li>no route: 404 {@code {"message":"Not Found"}};</li>
 *   <li>a malformed or expired token on a JWT-protected route: 401 {@code {"message":"Unauthorized"}};</li>
 *   <li>a function error (its runtime reported one, it timed out, it crashed) or a malformed answer: 502
 *       {@code {"message":"Internal server error"}};</li>
 *   <li>no answer within the integration timeout (30 s, the HTTP API maximum): 503
 *       {@code {"message":"Service Unavailable"}}; the invocation itself runs on, as on AWS;</li>
 *   <li>a body over 10 MB: 413 {@code {"message":"Request Entity Too Large"}}.</li>
 * </ul>
 * Every answer carries {@code apigw-requestid}, the event's {@code requestContext.requestId}.
 *
 * <p>Unlike AWS: a request <em>without</em> a token on a JWT-protected route still reaches the function, with no
 * {@code authorizer} block (on AWS the authorizer answers 401 itself); tokens are decoded but never verified.
 */
public final class HttpApiServer implements AutoCloseable {

    /** HTTP APIs accept payloads up to 10 MB. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    /**
     * @param integrationTimeout how long API Gateway waits for the function (HTTP API: at most 30 s)
     */
    public record Settings(Duration integrationTimeout, HttpApiEvents.ApiContext api) {
        public Settings {
            Objects.requireNonNull(integrationTimeout, "integrationTimeout");
            Objects.requireNonNull(api, "api");
        }

        public static Settings defaults(String accountId) {
            return new Settings(Duration.ofSeconds(30), new HttpApiEvents.ApiContext(accountId, "local", "$default"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final RouteTable routes;
    private final Map<String, LambdaFunction> functions;
    private final Settings settings;
    private final Clock clock;
    private final LogSink log;

    private HttpApiServer(HttpServer server, ExecutorService threads, RouteTable routes,
                          Map<String, LambdaFunction> functions, Settings settings, Clock clock, LogSink log) {
        this.server = server;
        this.threads = threads;
        this.routes = routes;
        this.functions = Map.copyOf(functions);
        this.settings = settings;
        this.clock = clock;
        this.log = log;
    }

    /** Serves on 127.0.0.1:{@code port} (0: any free port); every route's function must be in {@code functions}. */
    public static HttpApiServer start(int port, RouteTable routes, Map<String, LambdaFunction> functions,
                                      Settings settings, Clock clock, LogSink log) {
        for (Route route : routes.routes()) {
            if (!functions.containsKey(route.function())) {
                throw new IllegalArgumentException("Route " + route.routeKey() + " names no known function: "
                        + route.function());
            }
        }
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            HttpApiServer api = new HttpApiServer(server, threads, routes, functions, settings, clock, log);
            server.setExecutor(threads);
            server.createContext("/", api::handle);
            server.start();
            return api;
        } catch (IOException e) {
            threads.shutdownNow();
            throw new UncheckedIOException("Cannot serve the HTTP API on 127.0.0.1:" + port + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public RouteTable routes() {
        return routes;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long started = System.nanoTime();
            String requestId = HttpApiEvents.newRequestId();
            Outcome outcome = answer(exchange, requestId);
            write(exchange, requestId, outcome.answer());
            log.line(String.format(Locale.ROOT, "%s %s -> %d%s (%.0f ms)", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), outcome.answer().status(),
                    outcome.note().isEmpty() ? "" : " " + outcome.note(), (System.nanoTime() - started) / 1e6));
        }
    }

    private record Outcome(HttpAnswer answer, String note) {
    }

    private Outcome answer(HttpExchange exchange, String requestId) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            return new Outcome(HttpAnswer.message(413, "Request Entity Too Large"), "");
        }
        IncomingRequest request = new IncomingRequest(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress().getHostAddress(),
                exchange.getProtocol(), server.getAddress().getPort());
        Optional<RouteTable.Match> match = routes.match(request.method(), request.rawPath());
        if (match.isEmpty()) {
            return new Outcome(HttpAnswer.message(404, "Not Found"), "no route");
        }
        Route route = match.get().route();
        JwtTokens.Jwt jwt = null;
        String authorization = request.header("authorization");
        if (route.jwtAuthorizer() != null && authorization != null) {
            try {
                jwt = JwtTokens.decode(JwtTokens.fromAuthorizationHeader(authorization), clock.instant());
            } catch (JwtTokens.InvalidTokenException e) {
                return new Outcome(HttpAnswer.message(401, "Unauthorized"), "token refused: " + e.getMessage());
            }
        }
        LambdaFunction function = functions.get(route.function());
        ObjectNode event = HttpApiEvents.event(request, match.get(), jwt, requestId, clock.instant(), settings.api());
        byte[] payload = JSON.writeValueAsBytes(event);
        if (payload.length > 6 * 1024 * 1024) {
            // Lambda refuses the invocation (RequestTooLargeException); API Gateway answers 500
            return new Outcome(HttpAnswer.message(500, "Internal Server Error"), route.function()
                    + " event over Lambda's 6 MB");
        }
        CompletableFuture<InvocationResult> invocation = function.invoke(InvokeRequest.of(payload,
                function.spec().arn()));
        InvocationResult result;
        try {
            result = invocation.get(settings.integrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome(HttpAnswer.message(503, "Service Unavailable"), route.function()
                    + " did not answer within the integration timeout (" + settings.integrationTimeout().toSeconds()
                    + " s)");
        } catch (ExecutionException e) {
            return new Outcome(HttpAnswer.message(500, "Internal Server Error"), route.function() + " could not be"
                    + " invoked: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(HttpAnswer.message(500, "Internal Server Error"), "interrupted");
        }
        if (result.functionError()) {
            return new Outcome(HttpAnswer.message(502, "Internal server error"), route.function() + " failed: "
                    + result.errorType().orElse("?"));
        }
        try {
            return new Outcome(HttpAnswer.fromFunction(result.payload()), route.function());
        } catch (HttpAnswer.MalformedAnswerException e) {
            return new Outcome(HttpAnswer.message(502, "Internal server error"), route.function()
                    + " answered malformed: " + e.getMessage());
        }
    }

    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date");

    private static void write(HttpExchange exchange, String requestId, HttpAnswer answer) throws IOException {
        var headers = exchange.getResponseHeaders();
        for (Map.Entry<String, String> header : answer.headers()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        headers.set("apigw-requestid", requestId);
        boolean noBody = answer.body().length == 0 || answer.status() == 204 || answer.status() == 304
                || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(answer.status(), noBody ? -1 : answer.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }
}
