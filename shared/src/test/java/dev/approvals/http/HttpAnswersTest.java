package dev.approvals.http;

import dev.approvals.core.Approvals;
import dev.approvals.core.DecisionResult;
import dev.approvals.errors.ApprovalAlreadyDecidedException;
import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalNotFoundException;
import dev.approvals.errors.ApprovalVersionConflictException;
import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.errors.IdempotencyKeyReusedException;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.http.HttpRejection;
import dev.approvals.http.HttpRequestRejectedException;
import dev.approvals.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static dev.approvals.core.ApprovalStatus.APPROVED;
import static org.assertj.core.api.Assertions.assertThat;

class HttpAnswersTest {

    private static final String REQUEST_ID = "req-1";

    @Test
    void decided_isOkWithETag_andTheApproval() {
        Map<String, Object> answer = HttpAnswers.decided(new DecisionResult(Approvals.decided(APPROVED, 2, "alice", "k"), false));

        assertThat(answer).containsEntry("statusCode", 200);
        assertThat(headers(answer)).containsEntry("ETag", "\"2\"").doesNotContainKey("Idempotent-Replayed");
        Map<String, Object> body = body(answer);
        assertThat(body).containsEntry("status", "approved").containsEntry("version", 2)
                .containsEntry("actionPayload", Map.of("amount", 42))
                .doesNotContainKeys("taskToken", "decisionKey");
    }

    @Test
    void replay_isOkAndMarked() {
        Map<String, Object> answer = HttpAnswers.decided(new DecisionResult(Approvals.decided(APPROVED, 2, "alice", "k"), true));

        assertThat(headers(answer)).containsEntry("Idempotent-Replayed", "true");
    }

    @Test
    void notFound_is404Problem() {
        Map<String, Object> answer = HttpAnswers.refused(new ApprovalNotFoundException(Approvals.ID), REQUEST_ID);

        assertProblem(answer, 404, "not-found");
    }

    @Test
    void alreadyDecided_is409_withWhoAndWhen() {
        var error = new ApprovalAlreadyDecidedException(Approvals.ID, 2, "rejected", "bob", Instant.parse("2026-11-27T10:01:00Z"));

        Map<String, Object> body = assertProblem(HttpAnswers.refused(error, REQUEST_ID), 409, "already-decided");

        assertThat(body).containsEntry("conflict", "already-decided").containsEntry("currentVersion", 2)
                .containsEntry("currentStatus", "rejected").containsEntry("decidedBy", "bob")
                .containsEntry("decidedAt", "2026-11-27T10:01:00Z");
    }

    @Test
    void versionConflict_is409_withBothVersions() {
        Map<String, Object> body = assertProblem(
                HttpAnswers.refused(new ApprovalVersionConflictException(Approvals.ID, 1, 3), REQUEST_ID), 409, "version-conflict");

        assertThat(body).containsEntry("expectedVersion", 1).containsEntry("currentVersion", 3)
                .containsEntry("currentStatus", "pending");
    }

    @Test
    void expired_is409() {
        assertProblem(HttpAnswers.refused(new ApprovalExpiredException(Approvals.ID, 1, "pending", Instant.EPOCH), REQUEST_ID),
                409, "expired");
    }

    @Test
    void keyReused_is422() {
        assertProblem(HttpAnswers.refused(new IdempotencyKeyReusedException(Approvals.ID, "rejected"), REQUEST_ID),
                422, "idempotency-key-reused");
    }

    @Test
    void invalid_is400_withTheReason() {
        Map<String, Object> body = assertProblem(
                HttpAnswers.refused(new InvalidDecisionRequestException("reason must be a string"), REQUEST_ID), 400, "invalid-request");

        assertThat(body).containsEntry("detail", "reason must be a string");
    }

    @Test
    void unauthenticated_is401_withChallenge() {
        Map<String, Object> answer = HttpAnswers.refused(
                new HttpRequestRejectedException(HttpRejection.UNAUTHENTICATED, "no identity"), REQUEST_ID);

        assertProblem(answer, 401, "unauthenticated");
        assertThat(headers(answer)).containsEntry("WWW-Authenticate", "Bearer");
    }

    @Test
    void unavailable_is503_withRetryAfter() {
        Map<String, Object> answer = HttpAnswers.refused(new DecisionUnavailableException("resuming", 5), REQUEST_ID);

        assertProblem(answer, 503, "unavailable");
        assertThat(headers(answer)).containsEntry("Retry-After", "5");
    }

    @Test
    void unexpected_is500_withAGenericBody_thatLeaksNothing() {
        var error = new IllegalStateException("ERROR: relation \"ai_approvals\" does not exist; SQLState: 42P01");

        Map<String, Object> answer = HttpAnswers.refused(error, REQUEST_ID);

        Map<String, Object> body = assertProblem(answer, 500, "internal-error");
        assertThat((String) answer.get("body")).doesNotContain("SQLState", "ai_approvals", "Exception", "at dev.");
        assertThat(body).containsEntry("requestId", REQUEST_ID);
    }

    private static Map<String, Object> assertProblem(Map<String, Object> answer, int status, String type) {
        assertThat(answer).containsEntry("statusCode", status).containsEntry("isBase64Encoded", false);
        assertThat(headers(answer)).containsEntry("Content-Type", "application/problem+json");
        Map<String, Object> body = body(answer);
        assertThat(body).containsEntry("status", status)
                .containsEntry("type", "urn:problem-type:approvals:" + type)
                .containsEntry("requestId", REQUEST_ID)
                .containsKeys("title", "detail");
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headers(Map<String, Object> answer) {
        return (Map<String, String>) answer.get("headers");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Map<String, Object> answer) {
        return (Map<String, Object>) Json.parse(((String) answer.get("body")).getBytes(StandardCharsets.UTF_8));
    }
}
