package dev.approvals.functions;

import dev.approvals.core.Decision;
import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.testing.TestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the functions do when the Data API misbehaves the ways Aurora really does. */
class FaultsIT {

    private static LocalApprovals local;

    @BeforeAll
    static void start() {
        local = LocalApprovals.create("faults");
    }

    @AfterEach
    void clearFaults() {
        local.dataApi.faults().clear();
    }

    @Test
    void responseLostAfterCommit_theSdkRetries_andTheRetryIsAReplay_withOneAuditRow() {
        UUID id = local.seedPending();
        local.dataApi.faults().unavailableAfterCommitForNextCalls(1);
        LocalApprovals.StatementCount statements = local.countStatements();

        Answer answer = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "lost-" + id).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("Idempotent-Replayed", "true").containsEntry("ETag", "\"2\"");
        assertThat(statements.sent()).isEqualTo(2);
        assertThat(local.events(id)).hasSize(1);
        assertThat(local.row(id)).containsEntry("status", "approved").containsEntry("version", 2);
    }

    @Test
    void responseLostAfterCommit_withoutIdempotencyKey_theLambdaRequestIdStillMakesItAReplay() {
        UUID id = local.seedPending();
        local.dataApi.faults().unavailableAfterCommitForNextCalls(1);

        Answer answer = Answer.invoke(local.reject,
                Shape.HTTP_API.event(Decision.REJECT, id, 1, "unused").header("idempotency-key", null).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(local.events(id)).singleElement().satisfies(e -> assertThat(e.get("decision_key")).isNotNull());
    }

    @Test
    void auroraResumingFromAutoPause_isWaitedOut() {
        UUID id = local.seedPending();
        local.dataApi.faults().resumingForNextCalls(2);

        Answer answer = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "resume-" + id).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(local.events(id)).hasSize(1);
    }

    @Test
    void auroraStillResumingWhenTimeRunsOut_is503WithRetryAfter_andNothingChanges() {
        UUID id = local.seedPending();
        local.dataApi.faults().resumingForNextCalls(100);

        Answer answer = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "k-" + id).bytes(),
                new TestContext("short-" + id, 3_500, "http"));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsKey("Retry-After");
        assertThat(answer.body()).containsEntry("type", "urn:problem-type:approvals:unavailable");
        assertThat(local.row(id)).containsEntry("status", "pending");
    }

    @Test
    void databaseUnavailableBeyondTheSdkRetries_is503_orTheDocumentedExceptionWhenInvokedDirectly() {
        UUID id = local.seedPending();
        local.dataApi.faults().unavailableBeforeExecuteForNextCalls(100);

        Answer answer = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "k-" + id).bytes());
        assertThat(answer.status()).isEqualTo(503);

        assertThatThrownBy(() -> Answer.invoke(local.approve, Shape.DIRECT.event(Decision.APPROVE, id, 1, "d-" + id).bytes()))
                .isInstanceOf(DecisionUnavailableException.class);
        assertThat(local.row(id)).containsEntry("status", "pending").containsEntry("version", 1);
    }

    @Test
    void statementTimeout_is503_andNothingChanges() {
        UUID id = local.seedPending();
        local.dataApi.faults().statementTimeoutForNextCalls(1);

        Answer answer = Answer.invoke(local.reject, Shape.HTTP_API.event(Decision.REJECT, id, 1, "k-" + id).bytes());

        assertThat(answer.status()).isEqualTo(503);
        assertThat(local.row(id)).containsEntry("status", "pending");
        assertThat(local.events(id)).isEmpty();
    }

    /**
     * Time budgets (docs/security.md): the Data API answers after the function's budget for it, yet commits. The
     * caller still gets an answer in time (503, retry), and its retry with the same Idempotency-Key gets the
     * committed decision, never a conflict with itself.
     */
    @Test
    void aDataApiSlowerThanTheBudget_answers503InTime_andTheSameKeyThenReplaysTheCommittedDecision() throws Exception {
        UUID id = local.seedPending();
        String key = "slow-" + id;
        // 9.5 s left: 2 s to answer and 5 s for a callback are kept back, so 2.5 s for the database.
        local.dataApi.faults().latency(java.time.Duration.ofSeconds(4));

        long started = System.nanoTime();
        Answer first = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, key).bytes(),
                new TestContext("slow-" + id, 9_500, "http"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("slow Data API: first answer " + first.status() + " after " + elapsedMillis + " ms");

        assertThat(first.status()).as(first.raw()).isIn(200, 503);
        local.dataApi.faults().clear();
        while (local.row(id).get("status").equals("pending")) {
            Thread.sleep(100); // the emulator commits once its latency has passed
        }
        Answer replay = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, key).bytes());

        assertThat(replay.status()).as(replay.raw()).isEqualTo(200);
        assertThat(replay.body()).containsEntry("status", "approved").containsEntry("version", 2);
        if (first.status() == 503) {
            assertThat(first.headers()).containsKey("Retry-After");
            assertThat(replay.headers()).containsEntry("Idempotent-Replayed", "true");
        }
        assertThat(local.events(id)).hasSize(1);
    }
}
