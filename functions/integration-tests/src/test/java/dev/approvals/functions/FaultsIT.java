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
        long before = local.dataApi.calls().count("ExecuteStatement");

        Answer answer = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "lost-" + id).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("Idempotent-Replayed", "true").containsEntry("ETag", "\"2\"");
        assertThat(local.dataApi.calls().count("ExecuteStatement") - before).isEqualTo(2);
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
}
