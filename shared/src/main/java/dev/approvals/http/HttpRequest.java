package dev.approvals.http;

import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;
import dev.approvals.json.Json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One API Gateway proxy request (HTTP API 2.0 or REST API 1.0), read the same way for every route: which of the
 * function's routes it is, its headers (matched without regard to case), query parameters, body and the caller
 * the authorizer established. Each part is checked when it is asked for, so a request is refused for its first
 * problem in the order a handler asks: route and method, caller, path, query, body.
 */
public final class HttpRequest {

    private static final Pattern OPTIONAL_WHITESPACE = Pattern.compile("^[ \t]+|[ \t]+$");

    private final Map<String, Object> event;
    private final InvocationShape shape;
    private final Route route;
    private final Map<String, String> headers;
    private final Identity identity;

    private HttpRequest(Map<String, Object> event, InvocationShape shape, Route route, Map<String, String> headers) {
        this.event = event;
        this.shape = shape;
        this.route = route;
        this.headers = headers;
        this.identity = Identity.of(event, shape);
    }

    /**
     * @param served the routes of the function receiving the event
     * @throws HttpRequestRejectedException 405 (with the allowed methods) when the method is not one of them
     */
    public static HttpRequest read(Map<String, Object> event, InvocationShape shape, Set<Route> served) {
        return new HttpRequest(event, shape, route(event, shape, served), headers(event));
    }

    public Route route() {
        return route;
    }

    /**
     * A header's value, whatever the case of its name, without the optional whitespace (spaces, tabs) around it;
     * null when absent. Control characters are refused, never trimmed away ({@code String.trim()} would silently
     * drop them at either end).
     *
     * @param name the header's usual spelling, e.g. {@code If-Match}: the refusal names it
     * @throws InvalidDecisionRequestException when the value holds a control character other than a tab
     */
    public String header(String name) {
        String value = headers.get(name);
        if (value == null) {
            return null;
        }
        String stripped = mayStrip(value) ? OPTIONAL_WHITESPACE.matcher(value).replaceAll("") : value;
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new InvalidDecisionRequestException(name + " must not contain control characters");
            }
        }
        return stripped;
    }

    /**
     * Whether {@link #OPTIONAL_WHITESPACE} can match: only at a space or tab that starts or ends the value, or that
     * stands before a final line terminator ({@code $} matches there too). Nearly every value has none, and
     * skipping the matcher for them saves two regular expression passes per header read.
     */
    private static boolean mayStrip(String value) {
        return value.isEmpty() || blankOrLineEnd(value.charAt(0)) || blankOrLineEnd(value.charAt(value.length() - 1));
    }

    private static boolean blankOrLineEnd(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** The path the client called, stage prefix included (HTTP API {@code rawPath}, REST API context path). */
    public String path() {
        Object path = shape == InvocationShape.HTTP_API ? event.get("rawPath")
                : Fields.path(event, "requestContext", "path");
        return path instanceof String text && text.startsWith("/") ? text : route.path();
    }

    /**
     * The caller, as the authorizer established it (never the body).
     *
     * @param requiredGroup when not null, the caller's {@code cognito:groups} claim must contain it
     * @param forbidden     what a caller outside the group is told
     * @throws HttpRequestRejectedException 401 without an authenticated caller or with an ID token, 403 outside
     *                                      the group
     */
    public String caller(String requiredGroup, String forbidden) {
        if (identity == null) {
            throw new HttpRequestRejectedException(HttpRejection.UNAUTHENTICATED,
                    "This API needs an authenticated caller (a JWT from the configured issuer)");
        }
        if (identity.idToken()) {
            // API Gateway already refuses it on scoped routes (an ID token has no scope); this holds if a route
            // lost its scopes. 401, not 403: the credential is the wrong kind, a new (access) token fixes it.
            throw new HttpRequestRejectedException(HttpRejection.UNAUTHENTICATED,
                    "ID tokens are not accepted; send an OAuth 2.0 access token with the route's scope");
        }
        if (requiredGroup != null && !identity.groups().contains(requiredGroup)) {
            throw new HttpRequestRejectedException(HttpRejection.FORBIDDEN, forbidden);
        }
        return identity.actor();
    }

    /** The {@code {id}} path parameter. */
    public UUID approvalId() {
        return Fields.approvalId(Fields.path(event, "pathParameters", "id"), "The approval id in the path");
    }

    /**
     * The query parameters, percent-decoded; each may appear once, and only the {@code allowed} ones.
     *
     * @throws InvalidDecisionRequestException naming the parameter
     */
    public Map<String, String> query(Set<String> allowed) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String> parameter : rawQuery()) {
            String name = parameter.getKey();
            if (!allowed.contains(name)) {
                throw new InvalidDecisionRequestException("Unknown query parameter '" + Fields.printable(name)
                        + "'; allowed: " + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
            if (parameters.put(name, parameter.getValue()) != null) {
                throw new InvalidDecisionRequestException("Query parameter '" + name + "' is given more than once");
            }
        }
        return parameters;
    }

    /**
     * The body as one JSON object; empty when there is no body (or only whitespace).
     *
     * @param maxBytes largest body accepted, after base64 decoding
     * @throws HttpRequestRejectedException   413 over the limit, 415 for a non-JSON content type
     * @throws InvalidDecisionRequestException when it is not UTF-8 text holding one JSON object
     */
    public Map<String, Object> jsonBody(int maxBytes) {
        Object raw = event.get("body");
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof String text)) {
            throw new InvalidDecisionRequestException("The request body must be text");
        }
        boolean base64 = Boolean.TRUE.equals(event.get("isBase64Encoded"));
        byte[] bytes;
        if (base64) {
            if (text.length() > ((long) maxBytes / 3 + 1) * 4) {
                throw tooLarge(maxBytes);
            }
            try {
                bytes = Base64.getMimeDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidDecisionRequestException("The request body is marked base64 but is not valid base64");
            }
        } else {
            bytes = utf8(text);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        // A plain body is the text itself: decoding the bytes just encoded strictly would give it back
        if (base64 ? utf8(bytes).isBlank() : text.isBlank()) {
            return Map.of();
        }
        requireJsonContentType(header("Content-Type"));
        Object parsed;
        try {
            parsed = Json.parse(bytes);
        } catch (Json.MalformedJsonException e) {
            throw new InvalidDecisionRequestException("The request body is not valid JSON: " + e.getMessage());
        }
        Map<String, Object> object = Fields.object(parsed);
        if (object == null) {
            throw new InvalidDecisionRequestException("The request body must be a JSON object");
        }
        return object;
    }

    /**
     * The event's route among {@code served}: by API Gateway's route key (HTTP API) or resource (REST API); when
     * that names none of them (a {@code $default} or proxy route), by whether the path carries an approval id.
     */
    private static Route route(Map<String, Object> event, InvocationShape shape, Set<Route> served) {
        Object method = shape == InvocationShape.HTTP_API
                ? Fields.path(event, "requestContext", "http", "method")
                : event.get("httpMethod");
        Object routeKey = event.get("routeKey");
        String path = shape == InvocationShape.HTTP_API
                ? routeKey instanceof String key && key.contains(" ") ? key.substring(key.indexOf(' ') + 1) : null
                : event.get("resource") instanceof String resource ? resource : null;
        // Plain loops: this runs on every function's first request, and streams would load some 20 classes.
        List<Route> candidates = new ArrayList<>();
        Set<String> paths = new TreeSet<>();
        for (Route route : served) {
            paths.add(route.path());
            if (route.path().equals(path)) {
                candidates.add(route);
            }
        }
        if (candidates.isEmpty()) {
            boolean hasId = Fields.path(event, "pathParameters", "id") != null;
            for (Route route : served) {
                if (paths.size() == 1 || route.hasApprovalId() == hasId) {
                    candidates.add(route);
                }
            }
        }
        Set<String> methods = new TreeSet<>();
        for (Route candidate : candidates) {
            if (candidate.method().equals(method)) {
                return candidate;
            }
            methods.add(candidate.method());
        }
        String allowed = String.join(", ", methods);
        throw new HttpRequestRejectedException(HttpRejection.METHOD_NOT_ALLOWED, allowed,
                "Use " + allowed.replace(", ", " or ") + " on this path");
    }

    /** Header names folded to lower case; REST API events may carry repeated headers in multiValueHeaders. */
    private static Map<String, String> headers(Map<String, Object> event) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, Object> multi = Fields.object(event.get("multiValueHeaders"));
        if (multi != null) {
            for (Map.Entry<String, Object> header : multi.entrySet()) {
                List<?> list = Fields.list(header.getValue());
                if (list != null && !list.isEmpty()) {
                    List<String> texts = new ArrayList<>();
                    for (Object value : list) {
                        texts.add(String.valueOf(value));
                    }
                    headers.put(header.getKey(), String.join(",", texts));
                }
            }
        }
        Map<String, Object> single = Fields.object(event.get("headers"));
        if (single != null) {
            for (Map.Entry<String, Object> header : single.entrySet()) {
                if (header.getValue() instanceof String text) {
                    headers.put(header.getKey(), text);
                }
            }
        }
        return headers;
    }

    /**
     * Name-value pairs in order, repeats kept: HTTP APIs send the raw query string (their parsed map joins repeats
     * with commas), REST APIs their multi-value map.
     */
    private List<Map.Entry<String, String>> rawQuery() {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (event.get("rawQueryString") instanceof String raw) {
            for (String pair : raw.split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    pairs.add(Map.entry(decode(equals < 0 ? pair : pair.substring(0, equals)),
                            equals < 0 ? "" : decode(pair.substring(equals + 1))));
                }
            }
            return pairs;
        }
        Map<String, Object> multi = Fields.object(event.get("multiValueQueryStringParameters"));
        Map<String, Object> single = Fields.object(event.get("queryStringParameters"));
        if (multi != null) {
            multi.forEach((name, values) -> {
                List<?> list = Fields.list(values);
                (list == null ? List.of(String.valueOf(values)) : list)
                        .forEach(value -> pairs.add(Map.entry(name, String.valueOf(value))));
            });
        } else if (single != null) {
            single.forEach((name, value) -> pairs.add(Map.entry(name, String.valueOf(value))));
        }
        return pairs;
    }

    private static String decode(String text) {
        try {
            byte[] bytes = new byte[text.length()];
            int length = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '%') {
                    int high = Character.digit(text.charAt(i + 1), 16);
                    int low = Character.digit(text.charAt(i + 2), 16);
                    if (high < 0 || low < 0) {
                        throw new IllegalArgumentException("not a percent-encoded byte");
                    }
                    bytes[length++] = (byte) (high * 16 + low);
                    i += 2;
                } else if (c > 0x7F) {
                    throw new IllegalArgumentException("raw non-ASCII character");
                } else {
                    bytes[length++] = (byte) (c == '+' ? ' ' : c);
                }
            }
            return utf8(Arrays.copyOf(bytes, length));
        } catch (RuntimeException e) {
            throw new InvalidDecisionRequestException("The query string is not valid percent-encoded UTF-8");
        }
    }

    private static HttpRequestRejectedException tooLarge(int maxBytes) {
        return new HttpRequestRejectedException(HttpRejection.PAYLOAD_TOO_LARGE,
                "The request body must be at most " + maxBytes + " bytes");
    }

    /** Strictly: a lone surrogate (which {@code String.getBytes} would turn into '?') is refused. */
    private static byte[] utf8(String text) {
        if (!hasSurrogate(text)) {
            return text.getBytes(StandardCharsets.UTF_8); // the same bytes: only lone surrogates encode differently
        }
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
            return Arrays.copyOf(encoded.array(), encoded.limit());
        } catch (CharacterCodingException e) {
            throw new InvalidDecisionRequestException("The request body is not UTF-8 text");
        }
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidDecisionRequestException("The request body is not UTF-8 text");
        }
    }

    private static void requireJsonContentType(String contentType) {
        if (contentType == null) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw new HttpRequestRejectedException(HttpRejection.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as application/json");
        }
    }
}
