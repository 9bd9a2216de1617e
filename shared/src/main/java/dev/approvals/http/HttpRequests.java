package dev.approvals.http;

import dev.approvals.core.Decision;
import dev.approvals.core.DecisionRequest;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns an API Gateway proxy event (HTTP API 2.0 or REST API 1.0) into a decision request.
 *
 * <p>Contract ({@code POST /approvals/{id}/approve|reject}): body {@code {"expectedVersion": n, "reason": "..."}},
 * or the version in {@code If-Match: "n"}; optional {@code Idempotency-Key}. Headers are matched without regard
 * to case (API Gateway lower-cases them, SAM local and REST APIs do not). The actor always comes from the
 * authorizer, never from the body.
 */
public final class HttpRequests {

    /** Largest decision body accepted, in bytes after base64 decoding. Documented in docs/api.md. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    static final Set<String> BODY_FIELDS = Set.of("expectedVersion", "reason");

    private HttpRequests() {
    }

    /**
     * @param approverGroup when not null, the caller's {@code cognito:groups} claim must contain it
     * @throws InvalidDecisionRequestException malformed input (400)
     * @throws HttpRequestRejectedException    401, 403, 405, 413, 415 or 428
     */
    public static DecisionRequest parse(Map<String, Object> event, InvocationShape shape, Decision decision,
                                        String approverGroup, String lambdaRequestId) {
        HttpRequest request = HttpRequest.read(event, shape, Set.of(routeOf(decision)));
        String actor = request.caller(approverGroup, "Only members of the approver group may decide approvals");
        UUID approvalId = request.approvalId();
        Map<String, Object> body = request.jsonBody(MAX_BODY_BYTES);
        Fields.rejectUnknown(body, BODY_FIELDS, "the body");

        Integer bodyVersion = body.get("expectedVersion") == null
                ? null : Fields.version(body.get("expectedVersion"), "expectedVersion");
        Integer headerVersion = ifMatchVersion(request.header("If-Match"));
        if (bodyVersion == null && headerVersion == null) {
            throw new HttpRequestRejectedException(HttpRejection.PRECONDITION_REQUIRED,
                    "Send the version you decided on: \"expectedVersion\" in the body or an If-Match: \"<version>\" header");
        }
        if (bodyVersion != null && headerVersion != null && !bodyVersion.equals(headerVersion)) {
            throw new InvalidDecisionRequestException("expectedVersion in the body and If-Match disagree");
        }
        return new DecisionRequest(
                decision,
                approvalId,
                bodyVersion != null ? bodyVersion : headerVersion,
                actor,
                Fields.reason(body.get("reason")),
                idempotencyKey(request, lambdaRequestId));
    }

    /**
     * The route a decision is served on: the route of the same name. Looked up by name, so that no code path of
     * the read or propose function refers to a decision's route (the template tests read routes from references).
     */
    public static Route routeOf(Decision decision) {
        return Route.valueOf(decision.name());
    }

    /** API Gateway's own request id, for correlating with its access logs. */
    public static String apiRequestId(Map<String, Object> event) {
        return Fields.path(event, "requestContext", "requestId") instanceof String id ? id : null;
    }

    /** The {@code Idempotency-Key} header ({@code "key"} or a bare {@code key}), else {@code fallback}. */
    static String idempotencyKey(HttpRequest request, String fallback) {
        String key = request.header("Idempotency-Key");
        return key == null ? fallback : Fields.idempotencyKey(unquote(key), "Idempotency-Key");
    }

    /**
     * Whether {@code If-None-Match} names {@code version} (or is {@code *}): the client already has it. Weak and
     * strong tags compare alike here, as RFC 9110 §13.1.2 asks.
     *
     * @throws InvalidDecisionRequestException when the header is not a list of entity tags or {@code *}
     */
    public static boolean noneMatchHas(String ifNoneMatch, int version) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        if (ifNoneMatch.strip().equals("*")) {
            return true;
        }
        boolean matched = false;
        for (String tag : ifNoneMatch.split(",", -1)) {
            String value = tag.strip();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (!value.matches("\"[\\x21\\x23-\\x7E]*\"")) {
                throw new InvalidDecisionRequestException("If-None-Match must list entity tags such as \"3\"");
            }
            matched |= value.equals("\"" + version + "\"");
        }
        return matched;
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
