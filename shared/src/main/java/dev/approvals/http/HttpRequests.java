package dev.approvals.http;

import dev.approvals.core.Decision;
import dev.approvals.core.DecisionRequest;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns an API Gateway proxy event (HTTP API 2.0 or REST API 1.0) into a decision request.
 *
 * <p>Contract ({@code POST /approvals/{id}/approve|reject}): body {@code {"expectedVersion": n, "reason": "..."}},
 * or the version in {@code If-Match: "n"}; optional {@code Idempotency-Key}. Headers are matched without regard
 * to case (API Gateway lower-cases them, SAM local and REST APIs do not). The actor always comes from the
 * authorizer, never from the body.
 */
public final class HttpRequests {

    /** Largest body accepted, in bytes after base64 decoding. Documented in docs/api.md. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    static final Set<String> BODY_FIELDS = Set.of("expectedVersion", "reason");
    /** Spaces and tabs around a header value (RFC 9110 §5.5): not part of it. */
    private static final Pattern OPTIONAL_WHITESPACE = Pattern.compile("^[ \t]+|[ \t]+$");

    private HttpRequests() {
    }

    /**
     * @param approverGroup when not null, the caller's {@code cognito:groups} claim must contain it
     * @throws InvalidDecisionRequestException malformed input (400)
     * @throws HttpRequestRejectedException    401, 403, 405, 413, 415 or 428
     */
    public static DecisionRequest parse(Map<String, Object> event, InvocationShape shape, Decision decision,
                                        String approverGroup, String lambdaRequestId) {
        requirePost(event, shape);
        Map<String, String> headers = headers(event);
        Identity identity = Identity.of(event, shape);
        if (identity == null) {
            throw new HttpRequestRejectedException(HttpRejection.UNAUTHENTICATED,
                    "This API needs an authenticated caller (a JWT from the configured issuer)");
        }
        if (approverGroup != null && !identity.groups().contains(approverGroup)) {
            throw new HttpRequestRejectedException(HttpRejection.FORBIDDEN,
                    "Only members of the approver group may decide approvals");
        }
        UUID approvalId = Fields.approvalId(Fields.path(event, "pathParameters", "id"), "The approval id in the path");
        Map<String, Object> body = body(event, headers);
        Fields.rejectUnknown(body, BODY_FIELDS, "the body");

        Integer bodyVersion = body.get("expectedVersion") == null
                ? null : Fields.version(body.get("expectedVersion"), "expectedVersion");
        Integer headerVersion = ifMatchVersion(header(headers, "If-Match"));
        if (bodyVersion == null && headerVersion == null) {
            throw new HttpRequestRejectedException(HttpRejection.PRECONDITION_REQUIRED,
                    "Send the version you decided on: \"expectedVersion\" in the body or an If-Match: \"<version>\" header");
        }
        if (bodyVersion != null && headerVersion != null && !bodyVersion.equals(headerVersion)) {
            throw new InvalidDecisionRequestException("expectedVersion in the body and If-Match disagree");
        }
        String key = header(headers, "Idempotency-Key");
        return new DecisionRequest(
                decision,
                approvalId,
                bodyVersion != null ? bodyVersion : headerVersion,
                identity.actor(),
                Fields.reason(body.get("reason")),
                key == null ? lambdaRequestId : Fields.idempotencyKey(unquote(key), "Idempotency-Key"));
    }

    /** API Gateway's own request id, for correlating with its access logs. */
    public static String apiRequestId(Map<String, Object> event) {
        return Fields.path(event, "requestContext", "requestId") instanceof String id ? id : null;
    }

    private static void requirePost(Map<String, Object> event, InvocationShape shape) {
        Object method = shape == InvocationShape.HTTP_API
                ? Fields.path(event, "requestContext", "http", "method")
                : event.get("httpMethod");
        if (!"POST".equals(method)) {
            throw new HttpRequestRejectedException(HttpRejection.METHOD_NOT_ALLOWED, "Use POST to decide an approval");
        }
    }

    /** Header names folded to lower case; REST API events may carry repeated headers in multiValueHeaders. */
    static Map<String, String> headers(Map<String, Object> event) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, Object> multi = Fields.object(event.get("multiValueHeaders"));
        if (multi != null) {
            multi.forEach((name, values) -> {
                List<?> list = Fields.list(values);
                if (list != null && !list.isEmpty()) {
                    List<String> texts = new ArrayList<>();
                    list.forEach(v -> texts.add(String.valueOf(v)));
                    headers.put(name, String.join(",", texts));
                }
            });
        }
        Map<String, Object> single = Fields.object(event.get("headers"));
        if (single != null) {
            single.forEach((name, value) -> {
                if (value instanceof String text) {
                    headers.put(name, text);
                }
            });
        }
        return headers;
    }

    /**
     * A header's value without the optional whitespace (spaces, tabs) around it. Control characters are refused,
     * never trimmed away: {@code String.trim()} would silently drop them at either end.
     */
    private static String header(Map<String, String> headers, String name) {
        String value = headers.get(name);
        if (value == null) {
            return null;
        }
        String stripped = OPTIONAL_WHITESPACE.matcher(value).replaceAll("");
        if (stripped.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            throw new InvalidDecisionRequestException(name + " must not contain control characters");
        }
        return stripped;
    }

    private static Map<String, Object> body(Map<String, Object> event, Map<String, String> headers) {
        Object raw = event.get("body");
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof String text)) {
            throw new InvalidDecisionRequestException("The request body must be text");
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(event.get("isBase64Encoded"))) {
            if (text.length() > (MAX_BODY_BYTES / 3 + 1) * 4) {
                throw tooLarge();
            }
            try {
                bytes = Base64.getMimeDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidDecisionRequestException("The request body is marked base64 but is not valid base64");
            }
        } else {
            bytes = utf8(text);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        if (utf8(bytes).isBlank()) {
            return Map.of();
        }
        requireJsonContentType(header(headers, "Content-Type"));
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

    private static HttpRequestRejectedException tooLarge() {
        return new HttpRequestRejectedException(HttpRejection.PAYLOAD_TOO_LARGE,
                "The request body must be at most " + MAX_BODY_BYTES + " bytes");
    }

    /** Strictly: a lone surrogate (which String.getBytes would turn into '?') is refused. */
    private static byte[] utf8(String text) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
            return Arrays.copyOf(encoded.array(), encoded.limit());
        } catch (CharacterCodingException e) {
            throw new InvalidDecisionRequestException("The request body is not UTF-8 text");
        }
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

    /** {@code If-Match: "3"} names version 3; a bare {@code 3} is tolerated. Weak tags, lists and * are not. */
    private static Integer ifMatchVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            throw new InvalidDecisionRequestException("If-Match needs a strong ETag such as \"3\", not a weak one");
        }
        if (value.equals("*") || value.contains(",")) {
            throw new InvalidDecisionRequestException("If-Match must name exactly one version, e.g. If-Match: \"3\"");
        }
        String digits = unquote(value);
        if (!digits.matches("[0-9]{1,10}")) {
            throw new InvalidDecisionRequestException("If-Match must be a version number in quotes, e.g. \"3\"");
        }
        return Fields.version(Long.parseLong(digits), "The If-Match version");
    }

    /** Idempotency-Key is a structured-field string ({@code "abc"}); bare tokens are tolerated. */
    private static String unquote(String value) {
        String trimmed = value.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
                ? trimmed.substring(1, trimmed.length() - 1)
                : trimmed;
    }
}
