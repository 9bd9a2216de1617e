package dev.approvals.http;

import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.DecisionResult;
import dev.approvals.core.ProposalResult;
import dev.approvals.errors.ApprovalAlreadyDecidedException;
import dev.approvals.errors.ApprovalConflictException;
import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalNotFoundException;
import dev.approvals.errors.ApprovalVersionConflictException;
import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.errors.IdempotencyKeyReusedException;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.errors.ProposalKeyReusedException;
import dev.approvals.errors.SelfApprovalException;
import dev.approvals.json.ApprovalJson;
import dev.approvals.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where outcomes and errors become HTTP answers: API Gateway proxy responses (the same shape
 * serves HTTP API 2.0 and REST API 1.0) with RFC 9457 {@code application/problem+json} bodies for every error.
 * Problem bodies carry facts (versions, statuses, ids), never exception text from below the domain.
 */
public final class HttpAnswers {

    /** Problem type URIs are identifiers, listed in docs/api.md. */
    static final String PROBLEM_TYPE_PREFIX = "urn:problem-type:approvals:";

    private HttpAnswers() {
    }

    public static Map<String, Object> decided(DecisionResult result) {
        Map<String, String> headers = baseHeaders("application/json");
        headers.put("ETag", etag(result.approval().version()));
        if (result.replayed()) {
            headers.put("Idempotent-Replayed", "true");
        }
        return response(200, headers, Json.write(ApprovalJson.of(result.approval())));
    }

    /**
     * {@code GET /approvals/{id}}: the approval with its version as a strong ETag. A client may keep it and ask
     * again with {@code If-None-Match} ({@code no-cache}: always revalidate); {@code private}: no shared cache.
     */
    public static Map<String, Object> approval(ApprovalSnapshot snapshot) {
        Map<String, String> headers = readHeaders("application/json", snapshot.approval().version());
        return response(200, headers, Json.write(ApprovalJson.of(snapshot)));
    }

    /** {@code GET /approvals/{id}} with {@code If-None-Match} naming the current version: nothing changed. */
    public static Map<String, Object> notModified(int version) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", etag(version));
        headers.put("Cache-Control", "private, no-cache");
        return response(304, headers, "");
    }

    /** {@code GET /approvals}: one page, and where the next one starts (left out on the last page). */
    public static Map<String, Object> page(List<ApprovalSnapshot> items, String nextCursor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.stream().map(ApprovalJson::of).toList());
        body.put("nextCursor", nextCursor);
        return response(200, baseHeaders("application/json"), Json.write(body));
    }

    /**
     * {@code POST /approvals}: 201 with {@code Location} when this request created the approval; 200 with
     * {@code Idempotent-Replayed: true} when an earlier request with the same key and body did.
     *
     * @param location where the approval is read, e.g. {@code /approvals/<id>}
     */
    public static Map<String, Object> proposed(ProposalResult result, String location) {
        Map<String, String> headers = baseHeaders("application/json");
        headers.put("Location", location);
        headers.put("ETag", etag(result.approval().approval().version()));
        if (result.replayed()) {
            headers.put("Idempotent-Replayed", "true");
        }
        return response(result.replayed() ? 200 : 201, headers, Json.write(ApprovalJson.of(result.approval())));
    }

    /** Maps a refusal to its answer; anything not recognised is an internal error with a generic body. */
    public static Map<String, Object> refused(RuntimeException error, String requestId) {
        Map<String, String> headers = baseHeaders("application/problem+json");
        Problem problem = switch (error) {
            case ApprovalNotFoundException e -> new Problem(404, "not-found", "Approval not found", e.getMessage())
                    .with("approvalId", e.approvalId().toString());
            case ApprovalAlreadyDecidedException e -> conflict(e, "already-decided", "Approval already decided")
                    .with("decidedBy", e.decidedBy())
                    .with("decidedAt", ApprovalJson.iso(e.decidedAt()));
            case ApprovalVersionConflictException e -> conflict(e, "version-conflict", "Approval version conflict")
                    .with("expectedVersion", e.expectedVersion());
            case ApprovalExpiredException e -> conflict(e, "expired", "Approval expired")
                    .with("expiresAt", ApprovalJson.iso(e.expiresAt()));
            case SelfApprovalException e -> new Problem(403, "self-approval", "Self-approval refused", e.getMessage())
                    .with("approvalId", e.approvalId().toString());
            case IdempotencyKeyReusedException e ->
                    new Problem(422, "idempotency-key-reused", "Idempotency key reused", e.getMessage())
                            .with("approvalId", e.approvalId().toString())
                            .with("currentStatus", e.currentStatus());
            case ProposalKeyReusedException e ->
                    new Problem(422, "idempotency-key-reused", "Idempotency key reused", e.getMessage())
                            .with("approvalId", e.approvalId().toString());
            case InvalidDecisionRequestException e -> new Problem(400, "invalid-request", "Invalid request", e.getMessage());
            case HttpRequestRejectedException e -> {
                HttpRejection rejection = e.rejection();
                if (rejection == HttpRejection.UNAUTHENTICATED) {
                    headers.put("WWW-Authenticate", "Bearer");
                } else if (rejection == HttpRejection.METHOD_NOT_ALLOWED) {
                    headers.put("Allow", e.allow() == null ? "POST" : e.allow());
                }
                yield new Problem(rejection.status(), rejection.problemType(), rejection.title(), e.getMessage());
            }
            case DecisionUnavailableException e -> {
                headers.put("Retry-After", Integer.toString(e.retryAfterSeconds()));
                yield new Problem(503, "unavailable", "Service unavailable", e.getMessage());
            }
            default -> new Problem(500, "internal-error", "Internal error",
                    "An unexpected error occurred; quote the request id when reporting it");
        };
        return response(problem.status, headers, Json.write(problem.with("requestId", requestId).body));
    }

    private static Problem conflict(ApprovalConflictException e, String kind, String title) {
        return new Problem(409, kind, title, e.getMessage())
                .with("conflict", kind)
                .with("approvalId", e.approvalId().toString())
                .with("currentVersion", e.currentVersion())
                .with("currentStatus", e.currentStatus());
    }

    private static String etag(int version) {
        return "\"" + version + "\"";
    }

    private static Map<String, String> readHeaders(String contentType, int version) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "private, no-cache");
        headers.put("ETag", etag(version));
        return headers;
    }

    private static Map<String, String> baseHeaders(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "no-store");
        return headers;
    }

    private static Map<String, Object> response(int status, Map<String, String> headers, String body) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", status);
        response.put("headers", headers);
        response.put("body", body);
        response.put("isBase64Encoded", false);
        return response;
    }

    /** An RFC 9457 problem body under construction; null members are left out. */
    private static final class Problem {
        final int status;
        final Map<String, Object> body = new LinkedHashMap<>();

        Problem(int status, String type, String title, String detail) {
            this.status = status;
            body.put("type", PROBLEM_TYPE_PREFIX + type);
            body.put("title", title);
            body.put("status", status);
            body.put("detail", detail);
        }

        Problem with(String name, Object value) {
            if (value != null) {
                body.put(name, value);
            }
            return this;
        }
    }
}
