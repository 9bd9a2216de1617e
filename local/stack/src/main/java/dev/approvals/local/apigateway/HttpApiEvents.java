package dev.approvals.local.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Builds the API Gateway HTTP API payload format 2.0 event for a request, as AWS sends it (and where
 * {@code sam local start-api} does not): lower-case header names with repeats comma-joined, {@code cookies} out of
 * the {@code Cookie} header, a fresh {@code requestId} per request, {@code timeEpoch} in milliseconds, the body
 * base64-encoded ({@code isBase64Encoded: true}) unless its content type is text, and the JWT authorizer's claims
 * when a token was given.
 */
public final class HttpApiEvents {

    /** Where the events say they come from. */
    public record ApiContext(String accountId, String apiId, String stage) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    /** The content types an HTTP API passes as text (the rest, and no content type, are base64): docs/local-stack.md. */
    private static final Pattern TEXT_TYPES = Pattern.compile(
            "^(text/[^;]*|application/(json|javascript|xml))\\s*(;.*)?$");
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private HttpApiEvents() {
    }

    /**
     * @param jwt the decoded token when the route has a JWT authorizer and the request carried one; otherwise
     *            null, and the event has no {@code authorizer} block
     */
    public static ObjectNode event(IncomingRequest request, RouteTable.Match match, JwtTokens.Jwt jwt,
                                   String requestId, Instant now, ApiContext api) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", match.route().routeKey());
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQuery());

        Map<String, String> headers = putHeaders(event, request);

        Map<String, String> query = queryParameters(request.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }

        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", api.accountId());
        context.put("apiId", api.apiId());
        if (jwt != null) {
            putAuthorizer(context, jwt);
        }
        String host = headers.getOrDefault("host", "localhost");
        String domain = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        context.put("domainName", domain);
        context.put("domainPrefix", domain.contains(".") ? domain.substring(0, domain.indexOf('.')) : domain);
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.rawPath());
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        context.put("requestId", requestId);
        context.put("routeKey", match.route().routeKey());
        context.put("stage", api.stage());
        context.put("time", TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());

        if (!match.pathParameters().isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            match.pathParameters().forEach(parameters::put);
        }
        putBody(event, request, headers.get("content-type"));
        return event;
    }

    /** Cookies as their own list, the other headers lower-cased, joined with commas; returns the latter. */
    private static Map<String, String> putHeaders(ObjectNode event, IncomingRequest request) {
        Map<String, String> headers = headers(request);
        String cookieHeader = headers.remove("cookie");
        if (cookieHeader != null) {
            ArrayNode cookies = event.putArray("cookies");
            for (String cookie : cookieHeader.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.strip());
                }
            }
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        return headers;
    }

    /** The JWT authorizer's block: the token's claims flattened to strings, and its scopes (or null). */
    private static void putAuthorizer(ObjectNode context, JwtTokens.Jwt jwt) {
        ObjectNode jwtNode = context.putObject("authorizer").putObject("jwt");
        ObjectNode claims = jwtNode.putObject("claims");
        JwtTokens.flattenClaims(jwt.claims()).forEach(claims::put);
        List<String> scopes = JwtTokens.scopes(jwt.claims());
        if (scopes == null) {
            jwtNode.putNull("scopes");
        } else {
            ArrayNode scopeNode = jwtNode.putArray("scopes");
            scopes.forEach(scopeNode::add);
        }
    }

    /** Text content types as text, anything else base64, as an HTTP API passes bodies. */
    private static void putBody(ObjectNode event, IncomingRequest request, String contentType) {
        if (request.body().length > 0) {
            Optional<String> text = isText(contentType) ? utf8(request.body()) : Optional.empty();
            if (text.isPresent()) {
                event.put("body", text.get());
                event.put("isBase64Encoded", false);
            } else {
                event.put("body", Base64.getEncoder().encodeToString(request.body()));
                event.put("isBase64Encoded", true);
            }
        } else {
            event.put("isBase64Encoded", false);
        }
    }

    /**
     * The body as text, if it is UTF-8. A body of a text content type whose bytes are not UTF-8 is base64-encoded
     * like a binary one, never decoded with replacement characters: the function sees the bytes that were sent.
     */
    static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** A request id in API Gateway's shape: 15 letters and digits and a {@code =}. */
    public static String newRequestId() {
        StringBuilder id = new StringBuilder(16);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 15; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.append('=').toString();
    }

    /** Text content types pass as text (when the bytes are UTF-8); everything else, no content type included, as base64. */
    static boolean isText(String contentType) {
        return contentType != null && TEXT_TYPES.matcher(contentType.strip().toLowerCase(Locale.ROOT)).matches();
    }

    /** Lower-case names, repeats comma-joined, plus what API Gateway adds (forwarding and tracing headers). */
    static Map<String, String> headers(IncomingRequest request) {
        Map<String, List<String>> grouped = new TreeMap<>();
        request.headers().forEach((name, values) ->
                grouped.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        Map<String, String> headers = new LinkedHashMap<>();
        grouped.forEach((name, values) -> headers.put(name, String.join(",", values)));
        String forwardedFor = headers.get("x-forwarded-for");
        headers.put("x-forwarded-for", forwardedFor == null ? request.sourceIp()
                : forwardedFor + ", " + request.sourceIp());
        headers.put("x-forwarded-port", Integer.toString(request.serverPort()));
        headers.put("x-forwarded-proto", "http");
        headers.putIfAbsent("x-amzn-trace-id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + java.util.HexFormat.of().formatHex(randomBytes(12)));
        return headers;
    }

    /** Decoded names and values; a repeated name's values comma-joined, as in payload format 2.0. */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
