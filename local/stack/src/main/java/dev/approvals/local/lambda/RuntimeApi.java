package dev.approvals.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Lambda Runtime API one execution environment's runtime polls ({@code /2018-06-01/runtime/...}): it hands
 * out the next invocation, takes its response or error, and an init (or SnapStart restore) error.
 */
final class RuntimeApi implements HttpHandler {

    static final String RUNTIME_PREFIX = "/2018-06-01/runtime/";

    private final ExecutionEnvironment environment;
    private final LambdaFunction function;
    private final FunctionSpec spec;

    RuntimeApi(ExecutionEnvironment environment, LambdaFunction function) {
        this.environment = environment;
        this.function = function;
        this.spec = function.spec();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (!path.startsWith(RUNTIME_PREFIX)) {
                respond(exchange, 404, error("NotFound", "Not found"));
                return;
            }
            String route = path.substring(RUNTIME_PREFIX.length());
            if (method.equals("GET") && route.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && route.startsWith("invocation/") && route.endsWith("/response")) {
                response(exchange, route.substring("invocation/".length(), route.length() - "/response".length()));
            } else if (method.equals("POST") && route.startsWith("invocation/") && route.endsWith("/error")) {
                invocationError(exchange, route.substring("invocation/".length(), route.length() - "/error".length()));
            } else if (method.equals("POST") && route.equals("init/error")) {
                initError(exchange);
            } else if (method.equals("GET") && route.equals("restore/next")) {
                // SnapStart: the runtime ran its beforeCheckpoint hooks; Lambda would snapshot here and answer on
                // restore. Locally there is no snapshot: the runtime carries on at once (afterRestore hooks, then
                // invocation/next), so the init measured includes the hooks, as a SnapStart init does
                exchange.getRequestBody().readAllBytes();
                respond(exchange, 200, "{}");
            } else if (method.equals("POST") && route.equals("restore/error")) {
                initError(exchange);
            } else {
                respond(exchange, 404, error("NotFound", "Unknown Runtime API path " + method + " " + path));
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        environment.drainOutput();
        environment.flushReport();
        if (environment.state == ExecutionEnvironment.State.STARTING) {
            environment.initDurationMs = (System.nanoTime() - environment.spawnNanos()) / 1e6;
            environment.state = ExecutionEnvironment.State.READY;
            function.ready(environment);
        }
        if (environment.current != null) {
            respond(exchange, 400, error("InvalidStateTransition",
                    "Runtime asked for the next invocation before answering " + environment.current.requestId));
            return;
        }
        Invocation invocation = function.takeNext(environment);
        if (invocation == null) {
            respond(exchange, 500, error("ServiceException", "The execution environment is shutting down"));
            return;
        }
        long timeoutMillis = spec.timeout().toMillis();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        byte[] payload = invocation.request.payload();
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.request.invokedArn());
        headers.set("Lambda-Runtime-Trace-Id", traceHeader(invocation.request));
        invocation.request.clientContext().ifPresent(c -> headers.set("Lambda-Runtime-Client-Context", c));
        invocation.request.cognitoIdentity().ifPresent(c -> headers.set("Lambda-Runtime-Cognito-Identity", c));
        // set before the event leaves: the runtime may answer before this thread runs again
        environment.current = invocation;
        invocation.environment = environment;
        invocation.startedNanos = System.nanoTime();
        try {
            exchange.sendResponseHeaders(200, payload.length == 0 ? -1 : payload.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(payload);
            }
        } catch (IOException e) {
            // the runtime went away before it got the event: another environment serves it
            environment.current = null;
            invocation.environment = null;
            function.requeue(invocation);
            return;
        }
        environment.invocations++;
        function.started(environment, invocation, timeoutMillis);
    }

    private void response(HttpExchange exchange, String requestId) throws IOException {
        Invocation invocation = environment.current;
        if (invocation == null || !invocation.requestId.equals(requestId)) {
            exchange.getRequestBody().readAllBytes();
            respond(exchange, 400, error("InvalidRequestID", "Invalid request ID"));
            return;
        }
        byte[] body = readLimited(exchange.getRequestBody());
        if (body == null) {
            environment.drainOutput();
            environment.current = null;
            function.finish(environment, invocation, LambdaErrors.payload("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + ExecutionEnvironment.MAX_PAYLOAD_BYTES
                            + " bytes)."), "Function.ResponseSizeTooLarge", null);
            respond(exchange, 413, error("RequestEntityTooLarge", "Exceeded maximum allowed payload size ("
                    + ExecutionEnvironment.MAX_PAYLOAD_BYTES + " bytes)."));
            return;
        }
        environment.drainOutput(); // what it wrote before answering belongs to this invocation
        environment.current = null;
        function.finish(environment, invocation, body, null, null);
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private void invocationError(HttpExchange exchange, String requestId) throws IOException {
        Invocation invocation = environment.current;
        byte[] body = readLimited(exchange.getRequestBody());
        if (invocation == null || !invocation.requestId.equals(requestId)) {
            respond(exchange, 400, error("InvalidRequestID", "Invalid request ID"));
            return;
        }
        if (body == null) {
            body = LambdaErrors.payload("Function.ResponseSizeTooLarge", "The error payload was too large");
        }
        // the payload names the exception (what Step Functions matches); the header only its category, e.g.
        // Runtime.UserException
        String header = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        String errorType = LambdaErrors.errorType(body)
                .orElse(header == null || header.isBlank() ? "Unhandled" : header);
        environment.drainOutput();
        environment.current = null;
        function.finish(environment, invocation, body, errorType, null);
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private void initError(HttpExchange exchange) throws IOException {
        byte[] body = readLimited(exchange.getRequestBody());
        environment.initErrorBody = body == null ? null : new String(body, StandardCharsets.UTF_8);
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(ExecutionEnvironment.MAX_PAYLOAD_BYTES + 1);
        if (bytes.length > ExecutionEnvironment.MAX_PAYLOAD_BYTES) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        return bytes;
    }

    /** Lambda's tracing header: the caller's root (or a new one), a parent segment, not sampled. */
    private static String traceHeader(InvokeRequest request) {
        String root = request.traceId().flatMap(RuntimeApi::rootOf).orElseGet(RuntimeApi::newRoot);
        return "Root=" + root + ";Parent=" + HexFormat.of().formatHex(randomBytes(8)) + ";Sampled=0";
    }

    private static java.util.Optional<String> rootOf(String traceHeader) {
        for (String part : traceHeader.split(";")) {
            String trimmed = part.strip();
            if (trimmed.startsWith("Root=") && trimmed.length() > 5) {
                return java.util.Optional.of(trimmed.substring(5));
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code 1-<epoch seconds, 8 hex>-<24 hex>}, the X-Ray trace id format. */
    static String newRoot() {
        return "1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + HexFormat.of().formatHex(randomBytes(12));
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String error(String type, String message) {
        return new String(LambdaErrors.payload(type, message), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
