package dev.approvals.local.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.InvokeRequest;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.LogSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP API front door on loopback: routes from the template, each request turned into a payload format 2.0
 * event for its function and the function's answer turned back into HTTP, with API Gateway's own answers where it
 * would give them:
 * <ul>
 *   <li>no route: 404 {@code {"message":"Not Found"}};</li>
 *   <li>a malformed or expired token on a JWT-protected route: 401 {@code {"message":"Unauthorized"}};</li>
 *   <li>a token holding none of the route's {@code AuthorizationScopes} (an ID token holds none): 403
 *       {@code {"message":"Forbidden"}};</li>
 *   <li>a function error (its runtime reported one, it timed out, it crashed) or a malformed answer: 502
 *       {@code {"message":"Internal server error"}};</li>
 *   <li>no answer within the integration timeout (30 s, the HTTP API maximum): 503
 *       {@code {"message":"Service Unavailable"}}; the invocation itself runs on, as on AWS;</li>
 *   <li>a body over 10 MB: 413 {@code {"message":"Request Entity Too Large"}};</li>
 *   <li>a request that is not HTTP/1.1 it can read: 400 {@code {"message":"Bad Request"}}.</li>
 * </ul>
 * The request reaches the event as it was sent: a raw {@code {} in the path is routed like any other character,
 * a tab inside a header value stays a tab ({@link FrontDoorHttp}).
 * Every answer carries {@code apigw-requestid}, the event's {@code requestContext.requestId}.
 *
 * <p>Locally, paths no route matches under {@code /_local/sign-in/} are the {@link DevSignIn dev sign-in} when the
 * stack serves one.
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
    public record Settings(Duration integrationTimeout, HttpApiEvents.ApiContext api, DevSignIn devSignIn) {
        public Settings {
            Objects.requireNonNull(integrationTimeout, "integrationTimeout");
            Objects.requireNonNull(api, "api");
        }

        public Settings(Duration integrationTimeout, HttpApiEvents.ApiContext api) {
            this(integrationTimeout, api, null);
        }

        /** These settings, with the dev sign-in under {@link DevSignIn#PATH_PREFIX} (where no template route is). */
        public Settings withDevSignIn(DevSignIn signIn) {
            return new Settings(integrationTimeout, api, signIn);
        }

        public static Settings defaults(String accountId) {
            return new Settings(Duration.ofSeconds(30), new HttpApiEvents.ApiContext(accountId, "local", "$default"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FrontDoorHttp server;
    private final RouteTable routes;
    private final Map<String, LambdaFunction> functions;
    private final Settings settings;
    private final Clock clock;
    private final LogSink log;

    private HttpApiServer(FrontDoorHttp server, RouteTable routes, Map<String, LambdaFunction> functions,
                          Settings settings, Clock clock, LogSink log) {
        this.server = server;
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
        HttpApiServer[] api = new HttpApiServer[1];
        try {
            FrontDoorHttp server = FrontDoorHttp.start(port, MAX_BODY_BYTES, request -> api[0].handle(request),
                    refused -> api[0].refuse(refused));
            api[0] = new HttpApiServer(server, routes, functions, settings, clock, log);
            return api[0];
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the HTTP API on 127.0.0.1:" + port + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    public RouteTable routes() {
        return routes;
    }

    @Override
    public void close() {
        server.close();
    }

    private HttpAnswer handle(FrontDoorHttp.Request sent) {
        long started = System.nanoTime();
        String requestId = HttpApiEvents.newRequestId();
        int query = sent.target().indexOf('?');
        IncomingRequest request = new IncomingRequest(sent.method(),
                query < 0 ? sent.target() : sent.target().substring(0, query),
                query < 0 ? "" : sent.target().substring(query + 1),
                sent.headers(), sent.body(), sent.sourceIp(), sent.protocol(), port());
        Outcome outcome;
        try {
            outcome = answer(request, requestId);
        } catch (RuntimeException e) {
            outcome = new Outcome(HttpAnswer.message(500, "Internal Server Error"), "front door failure: " + e);
        }
        log.line(String.format(Locale.ROOT, "%s %s -> %d%s (%.0f ms)", request.method(), request.rawPath(),
                outcome.answer().status(), outcome.note().isEmpty() ? "" : " " + outcome.note(),
                (System.nanoTime() - started) / 1e6));
        return withRequestId(outcome.answer(), requestId);
    }

    /** A request the server could not read: API Gateway's own message for its status. */
    private HttpAnswer refuse(FrontDoorHttp.UnreadableRequestException refused) {
        String message = refused.status() == 413 ? "Request Entity Too Large" : "Bad Request";
        log.line("unreadable request -> " + refused.status() + " (" + refused.getMessage() + ")");
        return withRequestId(HttpAnswer.message(refused.status(), message), HttpApiEvents.newRequestId());
    }

    private record Outcome(HttpAnswer answer, String note) {
    }

    private Outcome answer(IncomingRequest request, String requestId) {
        Optional<RouteTable.Match> match = routes.match(request.method(), request.rawPath());
        if (match.isEmpty()) {
            // the template's routes keep precedence; only what none of them matches can be the dev sign-in
            Optional<HttpAnswer> signIn = settings.devSignIn() == null || !request.rawPath().startsWith(
                    DevSignIn.PATH_PREFIX) ? Optional.empty() : settings.devSignIn().answer(request);
            return signIn.map(answer -> new Outcome(answer, "dev sign-in"))
                    .orElseGet(() -> new Outcome(HttpAnswer.message(404, "Not Found"), "no route"));
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
            if (!hasOneOf(jwt, route.scopes())) {
                return new Outcome(HttpAnswer.message(403, "Forbidden"), "token has none of the scopes "
                        + route.scopes());
            }
        }
        LambdaFunction function = functions.get(route.function());
        ObjectNode event = HttpApiEvents.event(request, match.get(), jwt, requestId, clock.instant(), settings.api());
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (payload.length > 6 * 1024 * 1024) {
            // Lambda refuses the invocation (RequestTooLargeException); API Gateway answers 500
            return new Outcome(HttpAnswer.message(500, "Internal Server Error"), route.function()
                    + " event over Lambda's 6 MB");
        }
        // As SAM wires it: with an AutoPublishAlias the integration invokes the alias (the function sees its ARN).
        CompletableFuture<InvocationResult> invocation = function.invoke(InvokeRequest.of(payload,
                route.alias() == null ? function.spec().arn() : function.spec().arn() + ":" + route.alias()));
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

    /** As the HTTP API's JWT authorizer: one of the route's scopes in the token's {@code scope} (or {@code scp}). */
    private static boolean hasOneOf(JwtTokens.Jwt jwt, List<String> routeScopes) {
        if (routeScopes.isEmpty()) {
            return true;
        }
        List<String> granted = JwtTokens.scopes(jwt.claims());
        return granted != null && granted.stream().anyMatch(routeScopes::contains);
    }

    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date");

    /** The answer as the client gets it: the server's own framing headers, and API Gateway's request id. */
    private static HttpAnswer withRequestId(HttpAnswer answer, String requestId) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> header : answer.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.equals("apigw-requestid")) {
                headers.add(header);
            }
        }
        headers.add(Map.entry("apigw-requestid", requestId));
        return new HttpAnswer(answer.status(), headers, answer.body());
    }
}
