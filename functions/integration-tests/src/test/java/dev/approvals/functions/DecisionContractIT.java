package dev.approvals.functions;

import dev.approvals.core.Decision;
import dev.approvals.errors.ApprovalAlreadyDecidedException;
import dev.approvals.errors.ApprovalConflictException;
import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalNotFoundException;
import dev.approvals.errors.ApprovalVersionConflictException;
import dev.approvals.errors.IdempotencyKeyReusedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every row of the docs/design.md §3 table, for both handlers and all three input shapes, through the real RdsDataClient,
 * the local Data API and PostgreSQL. Also counts round trips: a decision and a plain conflict are one statement.
 */
class DecisionContractIT {

    private static LocalApprovals local;

    @BeforeAll
    static void startDatabase() {
        local = LocalApprovals.create("contract");
    }

    static Stream<Arguments> everyHandlerAndShape() {
        return Arrays.stream(Decision.values())
                .flatMap(decision -> Arrays.stream(Shape.values()).map(shape -> Arguments.of(decision, shape)));
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("everyHandlerAndShape")
    void pendingAtTheExpectedVersion_isDecided_inOneStatement_withOneAuditRow(Decision decision, Shape shape) {
        UUID id = local.seedPending();
        String key = UUID.randomUUID().toString();

        LocalApprovals.StatementCount statements = local.countStatements();
        Answer answer = Answer.invoke(local.handler(decision), shape.event(decision, id, 1, key).bytes());

        assertThat(statements.sent()).isEqualTo(1);
        Map<String, Object> approval = approvalFrom(shape, answer, 200);
        String status = decision == Decision.APPROVE ? "approved" : "rejected";
        assertThat(approval).containsEntry("id", id.toString()).containsEntry("status", status)
                .containsEntry("version", 2).containsEntry("decidedBy", shape.actor())
                .containsEntry("actionPayload", Map.of("amount", 42, "currency", "EUR"));
        if (shape != Shape.DIRECT) {
            assertThat(answer.headers()).containsEntry("ETag", "\"2\"").doesNotContainKey("Idempotent-Replayed");
        }
        Map<String, Object> row = local.row(id);
        assertThat(row).containsEntry("status", status).containsEntry("version", 2)
                .containsEntry("decided_by", shape.actor()).containsEntry("decision_key", key)
                .containsEntry("decision_reason", shape == Shape.DIRECT ? "Amount under the automatic approval limit" : "looked at it");
        assertThat(local.events(id)).singleElement().satisfies(event -> assertThat(event)
                .containsEntry("from_status", "pending").containsEntry("to_status", status)
                .containsEntry("from_version", 1).containsEntry("to_version", 2)
                .containsEntry("actor", shape.actor()).containsEntry("decision_key", key));
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("everyHandlerAndShape")
    void noSuchApproval_isNotFound(Decision decision, Shape shape) {
        UUID id = UUID.randomUUID();

        LocalApprovals.StatementCount statements = local.countStatements();
        Map<String, Object> refusal = expectRefusal(shape,
                () -> Answer.invoke(local.handler(decision), shape.event(decision, id, 1, "k").bytes()),
                404, "not-found", ApprovalNotFoundException.class);

        assertThat(refusal).containsEntry("approvalId", id.toString());
        assertThat(statements.sent()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("everyHandlerAndShape")
    void retryWithTheSameKey_isAReplay_notAConflict_andDecidesNothingMore(Decision decision, Shape shape) {
        UUID id = local.seedPending();
        byte[] event = shape.event(decision, id, 1, UUID.randomUUID().toString()).bytes();
        Answer.invoke(local.handler(decision), event);

        Answer retry = Answer.invoke(local.handler(decision), event);

        Map<String, Object> approval = approvalFrom(shape, retry, 200);
        assertThat(approval).containsEntry("version", 2);
        if (shape != Shape.DIRECT) {
            assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true").containsEntry("ETag", "\"2\"");
        }
        assertThat(local.events(id)).hasSize(1);
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("everyHandlerAndShape")
    void sameKeyForTheOtherDecision_isUnprocessable(Decision decision, Shape shape) {
        UUID id = local.seedPending();
        String key = UUID.randomUUID().toString();
        Decision other = decision == Decision.APPROVE ? Decision.REJECT : Decision.APPROVE;
        Answer.invoke(local.handler(other), shape.event(other, id, 1, key).bytes());

        Map<String, Object> refusal = expectRefusal(shape,
                () -> Answer.invoke(local.handler(decision), shape.event(decision, id, 1, key).bytes()),
                422, "idempotency-key-reused", IdempotencyKeyReusedException.class);

        assertThat(refusal).containsEntry("approvalId", id.toString())
                .containsEntry("currentStatus", other == Decision.APPROVE ? "approved" : "rejected");
        assertThat(local.events(id)).hasSize(1);
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("everyHandlerAndShape")
    void decidedBySomeoneElse_isAConflict_sayingWhoAndWhen(Decision decision, Shape shape) {
        UUID id = local.seedPending();
        Answer.invoke(local.reject, ApiEvents.as(Shape.HTTP_API.event(Decision.REJECT, id, 1, "first"), "carol",
                "[approvers]").bytes());

        LocalApprovals.StatementCount statements = local.countStatements();
        Map<String, Object> problem = expectRefusal(shape,
                () -> Answer.invoke(local.handler(decision), shape.event(decision, id, 1, "second").bytes()),
                409, "already-decided", ApprovalAlreadyDecidedException.class);

        assertThat(statements.sent()).isEqualTo(1);
        assertThat(problem).containsEntry("conflict", "already-decided").containsEntry("approvalId", id.toString())
                .containsEntry("currentStatus", "rejected").containsEntry("currentVersion", 2)
                .containsEntry("decidedBy", "carol")
                .containsEntry("decidedAt", instant(local.row(id).get("decided_at")).toString());
        assertThat(local.events(id)).hasSize(1);
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("everyHandlerAndShape")
    void staleVersion_isAVersionConflict_withTheCurrentVersion(Decision decision, Shape shape) {
        UUID id = local.seedPending();
        local.update("UPDATE ai_approvals SET version = 3 WHERE id = ?", id);

        LocalApprovals.StatementCount statements = local.countStatements();
        Map<String, Object> problem = expectRefusal(shape,
                () -> Answer.invoke(local.handler(decision), shape.event(decision, id, 2, "k-" + UUID.randomUUID()).bytes()),
                409, "version-conflict", ApprovalVersionConflictException.class);

        assertThat(statements.sent()).isEqualTo(1);
        assertThat(problem).containsEntry("conflict", "version-conflict").containsEntry("approvalId", id.toString())
                .containsEntry("expectedVersion", 2).containsEntry("currentVersion", 3)
                .containsEntry("currentStatus", "pending");
        assertThat(local.row(id)).containsEntry("status", "pending").containsEntry("version", 3);
        assertThat(local.events(id)).isEmpty();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("everyHandlerAndShape")
    void pastItsDeadline_isExpired_andStaysPending(Decision decision, Shape shape) {
        Instant deadline = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        UUID id = local.seed(UUID.randomUUID(), deadline);

        Map<String, Object> problem = expectRefusal(shape,
                () -> Answer.invoke(local.handler(decision), shape.event(decision, id, 1, "k-" + UUID.randomUUID()).bytes()),
                409, "expired", ApprovalExpiredException.class);

        assertThat(problem).containsEntry("conflict", "expired").containsEntry("approvalId", id.toString())
                .containsEntry("currentStatus", "pending").containsEntry("currentVersion", 1)
                .containsEntry("expiresAt", deadline.toString());
        assertThat(local.row(id)).containsEntry("status", "pending").containsEntry("version", 1);
        assertThat(local.events(id)).isEmpty();
    }

    @Test
    void notYetExpired_isDecided() {
        UUID id = local.seed(UUID.randomUUID(), Instant.now().plusSeconds(3600));

        Answer answer = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "k-" + id).bytes());

        assertThat(answer.status()).isEqualTo(200);
    }

    /** What a direct caller learns from the exception: who decided, when, at which version, and why not. */
    private static Map<String, Object> fieldsOf(Throwable refused) {
        Map<String, Object> fields = new HashMap<>();
        switch (refused) {
            case ApprovalNotFoundException e -> fields.put("approvalId", e.approvalId().toString());
            case IdempotencyKeyReusedException e -> {
                fields.put("approvalId", e.approvalId().toString());
                fields.put("currentStatus", e.currentStatus());
            }
            case ApprovalConflictException e -> {
                fields.put("approvalId", e.approvalId().toString());
                fields.put("currentVersion", e.currentVersion());
                fields.put("currentStatus", e.currentStatus());
                switch (e) {
                    case ApprovalAlreadyDecidedException d -> {
                        fields.put("conflict", "already-decided");
                        fields.put("decidedBy", d.decidedBy());
                        fields.put("decidedAt", d.decidedAt().toString());
                    }
                    case ApprovalVersionConflictException v -> {
                        fields.put("conflict", "version-conflict");
                        fields.put("expectedVersion", Math.toIntExact(v.expectedVersion()));
                    }
                    case ApprovalExpiredException x -> {
                        fields.put("conflict", "expired");
                        fields.put("expiresAt", x.expiresAt().toString());
                    }
                    default -> throw new AssertionError("an unexpected conflict: " + e);
                }
            }
            default -> throw new AssertionError("an unexpected refusal: " + refused);
        }
        return fields;
    }

    /** A timestamptz column as PgJDBC returns it. */
    private static Instant instant(Object column) {
        return column instanceof java.sql.Timestamp t ? t.toInstant() : ((java.time.OffsetDateTime) column).toInstant();
    }

    /** The decided approval: the HTTP body on the HTTP shapes, the returned JSON on the direct path. */
    private static Map<String, Object> approvalFrom(Shape shape, Answer answer, int status) {
        if (shape == Shape.DIRECT) {
            return answer.json();
        }
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.headers()).containsEntry("Content-Type", "application/json");
        return answer.body();
    }

    /**
     * The refusal's fields, by the problem body's names: HTTP shapes answer with a problem body; the direct path
     * throws the public exception, whose every field is read here, so both paths are held to the same assertions.
     */
    static Map<String, Object> expectRefusal(Shape shape, Supplier<Answer> call, int status, String type,
                                             Class<? extends RuntimeException> thrown) {
        if (shape == Shape.DIRECT) {
            Throwable refused = catchThrowable(call::get);
            assertThat(refused).isInstanceOf(thrown);
            return fieldsOf(refused);
        }
        Answer answer = call.get();
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.headers()).containsEntry("Content-Type", "application/problem+json");
        Map<String, Object> body = answer.body();
        assertThat(body).containsEntry("type", "urn:problem-type:approvals:" + type).containsEntry("status", status);
        return body;
    }
}
