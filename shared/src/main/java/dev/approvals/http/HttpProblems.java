package dev.approvals.http;

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
import java.util.Map;

/**
 * Refusals as answers with RFC 9457 {@code application/problem+json} bodies ({@link HttpAnswers#refused}). A class
 * of its own so that a cold start whose first request succeeds loads none of the refusals' exception classes (the
 * verifier loads the classes this switch passes where a supertype is expected).
 */
final class HttpProblems {

    private HttpProblems() {
    }

    /** Maps a refusal to its answer; anything not recognised is an internal error with a generic body. */
    static Map<String, Object> answer(RuntimeException error, String requestId) {
        Map<String, String> headers = HttpAnswers.baseHeaders("application/problem+json");
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
        return HttpAnswers.response(problem.status, headers, Json.write(problem.with("requestId", requestId).body));
    }

    private static Problem conflict(ApprovalConflictException e, String kind, String title) {
        return new Problem(409, kind, title, e.getMessage())
                .with("conflict", kind)
                .with("approvalId", e.approvalId().toString())
                .with("currentVersion", e.currentVersion())
                .with("currentStatus", e.currentStatus());
    }

    /** An RFC 9457 problem body under construction; null members are left out. */
    private static final class Problem {
        final int status;
        final Map<String, Object> body = new LinkedHashMap<>();

        Problem(int status, String type, String title, String detail) {
            this.status = status;
            body.put("type", HttpAnswers.PROBLEM_TYPE_PREFIX + type);
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
