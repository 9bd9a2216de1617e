package dev.approvals.functions;

import dev.approvals.core.Decision;
import dev.approvals.local.stepfunctions.LocalStepFunctions.Callback;
import dev.approvals.local.stepfunctions.LocalStepFunctions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** A waiting workflow is resumed exactly once, by the winner, however many decide and however often they retry. */
class CallbacksIT {

    private static final int APPROVALS = 50;
    private static final int DECIDERS = 16;

    private static LocalStepFunctions stepFunctions;
    private static LocalApprovals local;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        stepFunctions = LocalStepFunctions.start(0);
        local = LocalApprovals.create("callbacks", Map.of("STEP_FUNCTIONS_ENDPOINT", stepFunctions.endpoint().toString()));
        pool = Executors.newFixedThreadPool(DECIDERS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        stepFunctions.close();
    }

    @BeforeEach
    void reset() {
        stepFunctions.reset();
    }

    @Test
    void sixteenConcurrentDecidersPerWaitingApproval_resumeEachWorkflowExactlyOnce_asTheWinnerDecided() throws Exception {
        Map<String, Decision> winnerByToken = new HashMap<>();
        for (int i = 0; i < APPROVALS; i++) {
            String token = "token-" + UUID.randomUUID();
            UUID id = local.seedWaitedOn(token);
            for (Race.Attempt attempt : Race.run(local, pool, id, DECIDERS)) {
                Answer answer = attempt.answer();
                assertThat(answer.status()).as(answer.raw()).isIn(200, 409);
                if (answer.status() == 200) {
                    assertThat(winnerByToken.put(token, attempt.decision())).as("second winner").isNull();
                }
            }
        }

        List<Callback> calls = stepFunctions.callbacks();
        assertThat(calls).as("every call made, accepted or not").hasSize(APPROVALS)
                .allSatisfy(c -> assertThat(c.outcome()).isEqualTo(LocalStepFunctions.Outcome.ACCEPTED));
        assertThat(calls).extracting(Callback::taskToken).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(winnerByToken.keySet());
        for (Callback call : calls) {
            if (winnerByToken.get(call.taskToken()) == Decision.APPROVE) {
                assertThat(call.operation()).isEqualTo("SendTaskSuccess");
                assertThat(call.output()).contains("\"status\":\"approved\"");
            } else {
                assertThat(call.operation()).isEqualTo("SendTaskFailure");
                assertThat(call.error()).isEqualTo("dev.approvals.errors.ApprovalRejectedException");
                assertThat(call.cause()).isEqualTo("looked at it");
            }
        }
    }

    @Test
    void callbackLostForTheWholeRequest_theDecisionStands_andARetryWithTheSameKeyDeliversItOnce() {
        String token = "token-" + UUID.randomUUID();
        UUID id = local.seedWaitedOn(token);
        byte[] event = Shape.HTTP_API.event(Decision.APPROVE, id, 1, "lost-callback-" + id).bytes();
        stepFunctions.failNextCalls(1000);

        Answer first = Answer.invoke(local.approve, event);

        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(local.row(id)).containsEntry("status", "approved");
        assertThat(stepFunctions.accepted()).isEmpty();

        stepFunctions.failNextCalls(0);
        Answer retry = Answer.invoke(local.approve, event);

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(stepFunctions.accepted()).singleElement().satisfies(c -> assertThat(c.taskToken()).isEqualTo(token));
        assertThat(local.events(id)).hasSize(1);
    }

    @Test
    void callbackFailingOnce_isRetriedBySdk_andALaterRetryOfTheRequestDoesNotResumeTwice() {
        String token = "token-" + UUID.randomUUID();
        UUID id = local.seedWaitedOn(token);
        byte[] event = Shape.HTTP_API.event(Decision.REJECT, id, 1, "flaky-callback-" + id).bytes();
        stepFunctions.failNextCalls(1);

        assertThat(Answer.invoke(local.reject, event).status()).isEqualTo(200);
        assertThat(Answer.invoke(local.reject, event).status()).isEqualTo(200);

        assertThat(stepFunctions.accepted()).singleElement().satisfies(c -> {
            assertThat(c.taskToken()).isEqualTo(token);
            assertThat(c.operation()).isEqualTo("SendTaskFailure");
        });
    }

    @Test
    void losersAndRefusals_neverCallBack() {
        UUID id = local.seedWaitedOn("token-" + UUID.randomUUID());
        Answer.invoke(local.approve, Shape.DIRECT.event(Decision.APPROVE, id, 1, "w-" + id).bytes());
        stepFunctions.reset();

        Answer loser = Answer.invoke(local.reject, Shape.HTTP_API.event(Decision.REJECT, id, 1, "l-" + id).bytes());

        assertThat(loser.status()).isEqualTo(409);
        assertThat(stepFunctions.callbacks()).isEmpty();
    }
}
