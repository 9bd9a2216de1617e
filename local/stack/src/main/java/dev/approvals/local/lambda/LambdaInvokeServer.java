package dev.approvals.local.lambda;

import dev.approvals.local.loopback.LoopbackServer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda {@code Invoke} API on loopback, as {@code sam local start-lambda} offers it:
 * {@code POST /2015-03-31/functions/{FunctionName}/invocations}, so {@code aws lambda invoke --endpoint-url} and
 * the SDK's {@code LambdaClient} work against the local functions. A function error comes back as Lambda sends
 * it: HTTP 200, {@code X-Amz-Function-Error: Unhandled} and the runtime's {@code {errorMessage, errorType,
 * stackTrace}} payload, which is what Step Functions turns into a task failure named by {@code errorType}.
 *
 * <p>{@code X-Amz-Invocation-Type}: {@code RequestResponse} (default), {@code Event} (202, runs in the background,
 * no retries) and {@code DryRun} (204). {@code X-Amz-Log-Type: Tail} returns the last 4 KB of the invocation's log
 * in {@code X-Amz-Log-Result}. Qualifiers ({@code FunctionName:alias} or {@code ?Qualifier=}): {@code $LATEST} and
 * the function's own aliases in the template; the function sees the qualified ARN it was invoked by.
 */
public final class LambdaInvokeServer implements AutoCloseable {

    private static final Pattern INVOKE_PATH = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations/?$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL_BYTES = 4096;

    private final LoopbackServer server;
    private final Map<String, LambdaFunction> functions;
    private final Map<String, Set<String>> aliases;
    private final String region;
    private final String accountId;
    private final LogSink log;

    private LambdaInvokeServer(int port, Map<String, LambdaFunction> functions, Map<String, Set<String>> aliases,
                               String region, String accountId, LogSink log) {
        this.functions = Map.copyOf(functions);
        this.aliases = Map.copyOf(aliases);
        this.region = region;
        this.accountId = accountId;
        this.log = log;
        // the fields above are set before the server can call handle
        this.server = LoopbackServer.on(port).backlog(128).handle("/", this::handle).start();
    }

    /**
     * Serves on 127.0.0.1:{@code port} (0: any free port).
     *
     * @param functions by function name
     * @param aliases   qualifiers accepted besides {@code $LATEST}, for every function
     */
    public static LambdaInvokeServer start(int port, Map<String, LambdaFunction> functions, Set<String> aliases,
                                           String region, String accountId, LogSink log) {
        Map<String, Set<String>> each = new HashMap<>();
        functions.keySet().forEach(name -> each.put(name, Set.copyOf(aliases)));
        return start(port, functions, each, region, accountId, log);
    }

    /**
     * As the real API: each function accepts only its own aliases (and {@code $LATEST}) as qualifiers.
     *
     * @param aliases by function name
     */
    public static LambdaInvokeServer start(int port, Map<String, LambdaFunction> functions,
                                           Map<String, Set<String>> aliases, String region, String accountId,
                                           LogSink log) {
        return new LambdaInvokeServer(port, functions, aliases, region, accountId, log);
    }

    /** {@code http://127.0.0.1:<port>}: the {@code --endpoint-url} for the AWS CLI and the SDK. */
    public URI endpoint() {
        return server.endpoint();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    /** A refusal before the function runs: status, error type and message, the request body read to its end. */
    private static final class Refused extends Exception {
        final int status;
        final String type;

        Refused(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }
    }

    /** The function and qualifier a request names. */
    private record Target(LambdaFunction function, String qualifier) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long started = System.nanoTime();
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            try {
                Target target = target(exchange);
                String invocationType = invocationType(exchange);
                byte[] payload = payload(exchange);
                Optional<String> clientContext = clientContext(exchange);
                invoke(exchange, target, invocationType, payload, clientContext, started);
            } catch (Refused refused) {
                drain(exchange);
                error(exchange, refused.status, refused.type, refused.getMessage());
            }
        }
    }

    private Target target(HttpExchange exchange) throws Refused {
        Matcher matcher = INVOKE_PATH.matcher(exchange.getRequestURI().getRawPath());
        if (!matcher.matches() || !exchange.getRequestMethod().equals("POST")) {
            throw new Refused(404, "UnknownOperationException", "Unknown operation "
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
        }
        String name = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        String qualifier = queryParameter(exchange.getRequestURI().getRawQuery(), "Qualifier").orElse(null);
        FunctionName target = FunctionName.parse(name, qualifier);
        LambdaFunction function = target == null ? null : functions.get(target.name());
        if (function == null || (target.qualifier() != null && !target.qualifier().equals("$LATEST")
                && !aliases.getOrDefault(target.name(), Set.of()).contains(target.qualifier()))) {
            String arn = "arn:aws:lambda:" + region + ":" + accountId + ":function:"
                    + (target == null ? name : target.name() + (target.qualifier() == null ? ""
                    : ":" + target.qualifier()));
            log.line("Invoke " + name + " -> 404 ResourceNotFoundException");
            throw new Refused(404, "ResourceNotFoundException", "Function not found: " + arn);
        }
        return new Target(function, target.qualifier());
    }

    private static String invocationType(HttpExchange exchange) throws Refused {
        String invocationType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"))
                .orElse("RequestResponse");
        if (!Set.of("RequestResponse", "Event", "DryRun").contains(invocationType)) {
            throw new Refused(400, "InvalidParameterValueException",
                    "1 validation error detected: Value '" + invocationType + "' at 'invocationType' failed to"
                            + " satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse,"
                            + " DryRun]");
        }
        return invocationType;
    }

    private static byte[] payload(HttpExchange exchange) throws IOException, Refused {
        byte[] payload = exchange.getRequestBody().readNBytes(ExecutionEnvironment.MAX_PAYLOAD_BYTES + 1);
        if (payload.length > ExecutionEnvironment.MAX_PAYLOAD_BYTES) {
            throw new Refused(413, "RequestTooLargeException", "Request must be smaller than "
                    + ExecutionEnvironment.MAX_PAYLOAD_BYTES + " bytes for the InvokeFunction operation");
        }
        Optional<String> notJson = payload.length == 0 ? Optional.empty() : notUtf8Json(payload);
        if (notJson.isPresent()) {
            throw new Refused(400, "InvalidRequestContentException",
                    "Could not parse request body into json: " + notJson.get());
        }
        return payload;
    }

    private static Optional<String> clientContext(HttpExchange exchange) throws Refused {
        try {
            Optional<String> clientContext = Optional.ofNullable(
                            exchange.getRequestHeaders().getFirst("X-Amz-Client-Context"))
                    .filter(s -> !s.isBlank())
                    .map(s -> new String(Base64.getDecoder().decode(s.strip()), StandardCharsets.UTF_8));
            if (clientContext.isPresent()) {
                JSON.readTree(clientContext.get());
            }
            return clientContext;
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new Refused(400, "InvalidRequestContentException",
                    "Client context must be a valid Base64-encoded JSON object.");
        }
    }

    private void invoke(HttpExchange exchange, Target target, String invocationType, byte[] payload,
                        Optional<String> clientContext, long started) throws IOException {
        if (invocationType.equals("DryRun")) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        LambdaFunction function = target.function();
        String invokedArn = function.spec().arn() + (target.qualifier() == null ? "" : ":" + target.qualifier());
        InvokeRequest request = new InvokeRequest(payload, invokedArn,
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id")), clientContext,
                Optional.empty());
        var future = function.invoke(request);
        if (invocationType.equals("Event")) {
            exchange.sendResponseHeaders(202, -1);
            log.line("Invoke " + function.spec().name() + " (Event) -> 202");
            return;
        }
        InvocationResult result;
        try {
            // the function's own Timeout ends every invocation; this only guards against a stuck queue
            result = future.get(function.spec().timeout().toMillis() + function.settings().initTimeout().toMillis()
                    + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            error(exchange, 500, "ServiceException", "The local Lambda service could not run the function: "
                    + (e instanceof ExecutionException ? e.getCause().getMessage() : "no answer"));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 500, "ServiceException", "Interrupted");
            return;
        }
        answer(exchange, result);
        log.line(String.format(Locale.ROOT, "Invoke %s -> 200%s (%.0f ms)", function.spec().name(),
                result.errorType().map(t -> " Unhandled " + t).orElse(""), (System.nanoTime() - started) / 1e6));
    }

    /** The function's answer as Lambda's Invoke gives it: 200, its payload, its error and log headers. */
    private static void answer(HttpExchange exchange, InvocationResult result) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("X-Amz-Executed-Version", "$LATEST");
        if (result.functionError()) {
            headers.set("X-Amz-Function-Error", "Unhandled");
        }
        if ("Tail".equals(exchange.getRequestHeaders().getFirst("X-Amz-Log-Type"))) {
            headers.set("X-Amz-Log-Result", tail(result));
        }
        byte[] body = result.payload();
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The invocation's log as Lambda's Tail gives it: START, the lines, END, REPORT; at most the last 4 KB. */
    private static String tail(InvocationResult result) {
        List<String> lines = new ArrayList<>();
        lines.add("START RequestId: " + result.requestId() + " Version: $LATEST");
        List<String> log = result.log();
        String report = log.isEmpty() ? null : log.getLast();
        lines.addAll(report == null ? log : log.subList(0, log.size() - 1));
        lines.add("END RequestId: " + result.requestId());
        if (report != null) {
            lines.add(report);
        }
        byte[] all = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, all.length - TAIL_BYTES);
        byte[] last = java.util.Arrays.copyOfRange(all, from, all.length);
        return Base64.getEncoder().encodeToString(last);
    }

    /**
     * Why Lambda would refuse the payload as JSON, if it would. JSON is UTF-8 (RFC 8259 §8.1): the bytes are decoded
     * strictly and the text parsed, so Jackson's encoding detection (which reads UTF-16 and UTF-32, and throws an
     * IOException that used to drop the connection) never runs.
     */
    static Optional<String> notUtf8Json(byte[] payload) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return Optional.of("Invalid UTF-8 (JSON must be UTF-8)");
        }
        try {
            JSON.readTree(text);
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.of(e.getOriginalMessage());
        }
    }

    private static Optional<String> queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name) && eq >= 0) {
                return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static void drain(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    }

    /** Lambda's REST-JSON error: the type in {@code x-amzn-ErrorType}, a {@code Type}/{@code Message} body. */
    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("Type", status >= 500 ? "Service" : "User")
                .put("Message", message);
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * A {@code FunctionName} as Lambda accepts it: {@code Name}, {@code Name:Qualifier},
     * {@code arn:aws:lambda:region:account:function:Name[:Qualifier]} or {@code account:function:Name[:Qualifier]}.
     */
    record FunctionName(String name, String qualifier) {

        static FunctionName parse(String value, String qualifierParameter) {
            String[] parts = value.split(":", -1);
            String name;
            String qualifier = null;
            if (value.startsWith("arn:")) {
                if (parts.length < 7 || parts.length > 8 || !parts[2].equals("lambda") || !parts[5].equals("function")) {
                    return null;
                }
                name = parts[6];
                qualifier = parts.length == 8 ? parts[7] : null;
            } else if (parts.length >= 3 && parts[1].equals("function")) {
                name = parts[2];
                qualifier = parts.length == 4 ? parts[3] : null;
            } else if (parts.length <= 2) {
                name = parts[0];
                qualifier = parts.length == 2 ? parts[1] : null;
            } else {
                return null;
            }
            if (qualifierParameter != null) {
                if (qualifier != null && !qualifier.equals(qualifierParameter)) {
                    return null;
                }
                qualifier = qualifierParameter;
            }
            return name.isEmpty() ? null : new FunctionName(name, qualifier);
        }
    }
}
