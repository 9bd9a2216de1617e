package dev.approvals.functions;

import dev.approvals.wiring.EnvironmentVariables;
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

/**
 * A waiting workflow is resumed exactly once, by the winner (or by the workflow's await step when the decision came
 * first), however many decide and however often they retry.
 */
class CallbacksIT {

    private static final int APPROVALS = 50;
    private static final int DECIDERS = 16;

    private static LocalStepFunctions stepFunctions;
    private static LocalApprovals local;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        stepFunctions = LocalStepFunctions.start(0);
        local = LocalApprovals.create("callbacks", Map.of(EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT, stepFunctions.endpoint().toString()));
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

    /**
     * The workflow's await step (a retry, with a new token, after an attempt whose answer was lost) racing sixteen
     * deciders: whichever commits first, the execution waiting on the new token is resumed exactly once, with the
     * winner's decision: by the winner when the token was stored first, by the step itself when the decision was.
     */
    @Test
    void theAwaitStepRacingSixteenDeciders_resumesTheWaitingExecutionExactlyOnce() throws Exception {
        int resumedByTheStep = 0;
        for (int i = 0; i < APPROVALS; i++) {
            UUID id = local.seed(UUID.randomUUID(), java.time.Instant.now().plusSeconds(3600));
            local.update("UPDATE ai_approvals SET task_token = ? WHERE id = ?", "lost-attempt-" + id, id);
            String token = "retry-" + id;
            byte[] await = ("{\"step\":\"await\",\"approvalId\":\"" + id + "\",\"taskToken\":\"" + token + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            var step = pool.submit(() -> Answer.invoke(local.workflow, await));
            Decision winner = null;
            for (Race.Attempt attempt : Race.run(local, pool, id, DECIDERS)) {
                if (attempt.answer().status() == 200) {
                    winner = attempt.decision();
                }
            }
            Answer stepAnswer = step.get(30, java.util.concurrent.TimeUnit.SECONDS);
            resumedByTheStep += "resumed".equals(stepAnswer.json().get("outcome")) ? 1 : 0;

            String expected = winner == Decision.APPROVE ? "SendTaskSuccess" : "SendTaskFailure";
            List<Callback> resumes = stepFunctions.accepted().stream().filter(c -> c.taskToken().equals(token)).toList();
            assertThat(resumes).as("resumes of the execution waiting on %s", token).singleElement()
                    .satisfies(c -> assertThat(c.operation()).isEqualTo(expected));
        }
        System.out.printf("CallbacksIT: %d of %d executions were resumed by the await step itself%n", resumedByTheStep,
                APPROVALS);
    }

    /**
     * Time budgets (docs/security.md): a slow Data API and a Step Functions slower than the callback's budget. The
     * committed decision is answered (the callback's 5 s timeout ends it, inside the function's time), and a retry
     * with the same key replays it and re-sends the callback.
     */
    @Test
    void slowDataApiAndSlowCallback_theCallerStillGetsTheDecision_andTheSameKeyReplaysIt() throws Exception {
        String token = "token-" + UUID.randomUUID();
        UUID id = local.seedWaitedOn(token);
        byte[] event = Shape.HTTP_API.event(Decision.APPROVE, id, 1, "slow-callback-" + id).bytes();
        local.dataApi.faults().latency(java.time.Duration.ofSeconds(2));
        stepFunctions.latency(java.time.Duration.ofSeconds(8));
        try {
            long started = System.nanoTime();
            Answer first = Answer.invoke(local.approve, event);
            System.out.printf("CallbacksIT: slow Data API (2 s) and callback (8 s): %d after %d ms%n", first.status(),
                    (System.nanoTime() - started) / 1_000_000);

            assertThat(first.status()).as(first.raw()).isEqualTo(200);
            assertThat(first.body()).containsEntry("status", "approved").containsEntry("version", 2);
        } finally {
            local.dataApi.faults().clear();
            stepFunctions.latency(java.time.Duration.ZERO);
        }
        Answer replay = Answer.invoke(local.approve, event);

        assertThat(replay.status()).as(replay.raw()).isEqualTo(200);
        assertThat(replay.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(local.events(id)).hasSize(1);
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
