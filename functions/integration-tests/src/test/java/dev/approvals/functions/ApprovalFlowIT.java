package dev.approvals.functions;

import dev.approvals.wiring.EnvironmentVariables;
import dev.approvals.core.Decision;
import dev.approvals.local.stepfunctions.LocalStepFunctions;
import dev.approvals.testing.Events;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * statemachine/approval-flow.asl.json run end to end ({@link StateMachineRun}) over the real workflow, approve and
 * reject handlers, a real PostgreSQL behind the local Data API and the local callback API: every path into the
 * approved action, every way out, and each defect of issue 15 reproduced.
 */
class ApprovalFlowIT {

    /** The deployment's auto-approval policy in these tests: this action type, and no other, skips the person. */
    private static final String AUTO_APPROVED = "small-refund";

    private static LocalStepFunctions stepFunctions;
    private static LocalApprovals local;
    private static SfnClient sfn;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        stepFunctions = LocalStepFunctions.start(0);
        local = LocalApprovals.create("flow", Map.of(EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT, stepFunctions.endpoint().toString(),
                EnvironmentVariables.AUTO_APPROVED_ACTION_TYPES, AUTO_APPROVED));
        sfn = SfnClient.builder().endpointOverride(stepFunctions.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("l", "l"))
                .build();
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        sfn.close();
        stepFunctions.close();
    }

    @BeforeEach
    void reset() {
        stepFunctions.reset();
        local.dataApi.faults().clear();
    }

    // --- every path into the approved action delivers the same $.decision ----------------------------------------

    @Test
    void aPersonApproves_theActionGetsTheApprovalExactlyAsTheHttpAnswerShowsIt() {
        AtomicReference<Answer> http = new AtomicReference<>();

        var execution = run().whileWaiting(w -> http.set(approveOverHttp(w.approvalId())))
                .start("person-approves", input("refund"));

        assertThat(execution.status()).as(execution.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.trace()).containsSubsequence("AwaitDecision", "ConfirmApproval", "PerformApprovedAction");
        assertThat(execution.output()).isEqualTo(Map.of("decision", http.get().body()));
        assertThat(execution.decision()).containsEntry("status", "approved").containsEntry("version", 2)
                .containsEntry("actionPayload", Map.of("orderId", "A-1042", "amount", 42, "currency", "EUR"));
    }

    /** Defect 3: the first attempt stored its token, its answer was lost, and a person decided before the retry. */
    @Test
    void aDecisionBeforeTheRetryStoredItsToken_resumesTheExecutionAtOnce_notAtTheDeadline() {
        AtomicReference<Answer> http = new AtomicReference<>();
        AtomicReference<String> id = new AtomicReference<>();

        var execution = run().loseAnswerOnce("AwaitDecision", () -> http.set(approveOverHttp(id.get())))
                .start("lost-answer-then-decided", input("refund"), id::set); // nobody decides while it waits

        assertThat(execution.status()).as(execution.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.attempts()).containsEntry("AwaitDecision", 2);
        assertThat(execution.trace()).doesNotContain("ExpireApproval");
        assertThat(execution.output()).isEqualTo(Map.of("decision", http.get().body()));
        assertThat(stepFunctions.accepted()).extracting(LocalStepFunctions.Callback::operation)
                .containsExactly("SendTaskSuccess", "SendTaskSuccess"); // the decider's (to the dead token) and the step's
    }

    /**
     * The propose step's answer lost after it recorded the approval: the retry sends the same approval id (the
     * execution drew it before the step) and finds that row, so the execution records exactly one approval.
     */
    @Test
    void aProposeStepWhoseAnswerWasLost_isRetried_andRecordsTheApprovalOnce() {
        AtomicReference<Answer> http = new AtomicReference<>();

        var execution = run().loseAnswerOnce("ProposeApproval", () -> { })
                .whileWaiting(w -> http.set(approveOverHttp(w.approvalId())))
                .start("lost-propose-answer", input("refund"));

        assertThat(execution.status()).as(execution.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.attempts()).containsEntry("ProposeApproval", 2);
        assertThat(execution.output()).isEqualTo(Map.of("decision", http.get().body()));
        assertThat(local.query("SELECT id FROM ai_approvals WHERE requested_by = ?",
                "arn:aws:states:us-east-1:123456789012:execution:ApprovalFlow:lost-propose-answer")).hasSize(1);
    }

    /** Defect 3's figure: how long after the decision the execution resumes, with the definition's own timing. */
    @Test
    void aDecisionBeforeTheRetryStoredItsToken_measuredInRealTime() {
        AtomicReference<String> id = new AtomicReference<>();
        AtomicReference<Long> decidedAt = new AtomicReference<>();
        AtomicReference<Long> resumedAt = new AtomicReference<>();
        Map<String, Object> input = input("refund");
        input.put("timeoutSeconds", 10);

        var execution = run().inRealTime()
                .loseAnswerOnce("AwaitDecision", () -> {
                    approveOverHttp(id.get());
                    decidedAt.set(System.nanoTime());
                })
                .before("ConfirmApproval", () -> resumedAt.set(System.nanoTime()))
                .start("lost-answer-timed", input, id::set);

        assertThat(execution.status()).as(execution.toString()).isEqualTo("SUCCEEDED");
        System.out.printf("ApprovalFlowIT: lost answer + quick decision: resumed %d ms after the decision "
                + "(task timeout %d s)%n", (resumedAt.get() - decidedAt.get()) / 1_000_000, 10);
    }

    @Test
    void anApprovalWhoseCallbackWasLost_isFoundAfterTheDeadline_andConfirmed() {
        AtomicReference<Answer> http = new AtomicReference<>();

        var execution = run().whileWaiting(w -> {
            stepFunctions.failNextCalls(1000);
            http.set(approveOverHttp(w.approvalId()));
            stepFunctions.failNextCalls(0);
        }).start("callback-lost", input("refund"));

        assertThat(execution.status()).as(execution.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.trace()).containsSubsequence("AwaitDecision", "ExpireApproval", "AfterDeadline",
                "ConfirmApproval", "PerformApprovedAction");
        assertThat(execution.output()).isEqualTo(Map.of("decision", http.get().body()));
    }

    /**
     * Defect 6, deterministically: a person's approval holds the row lock when the expiry statement starts; the
     * expiry waits, the person commits. The expiry must report the approval, never the snapshot's pending.
     */
    @Test
    void aPersonsApprovalHoldingTheRowLockDuringTheExpiry_isConfirmed_neverExpired() {
        AtomicReference<String> id = new AtomicReference<>();
        AtomicReference<Future<?>> person = new AtomicReference<>();

        var execution = run().before("ExpireApproval", () -> person.set(approveHoldingTheLockUntilTheExpiryWaits(id.get())))
                .start("expiry-races-a-person", input("refund"), id::set);

        assertThat(execution.status()).as(execution.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.trace()).containsSubsequence("ExpireApproval", "ConfirmApproval", "PerformApprovedAction");
        assertThat(execution.decision()).containsEntry("status", "approved").containsEntry("decidedBy", "dave")
                .containsEntry("version", 2);
        assertThat(person.get()).isDone();
        assertThat(local.row(UUID.fromString(id.get()))).containsEntry("status", "approved");
        assertThat(local.events(UUID.fromString(id.get()))).isEmpty(); // the expiry wrote nothing
    }

    /** The direct path, by the deployment's policy; defect 2: an execution name that is not ASCII. */
    @Test
    void thePolicyApprovesWithoutAPerson_evenForAnExecutionNamedInAnyScript() {
        AtomicReference<String> id = new AtomicReference<>();

        var execution = run().start("Rückerstattung-订单-✓", input(AUTO_APPROVED), id::set);

        assertThat(execution.status()).as(execution.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.trace()).containsSubsequence("ChooseApprover", "AutoApprove", "ConfirmApproval",
                "PerformApprovedAction").doesNotContain("AwaitDecision");
        Map<String, Object> replayOverTheDirectPath = Answer.invoke(local.approve, Shape.DIRECT.event(Decision.APPROVE,
                UUID.fromString(id.get()), 1, id.get() + "#AutoApprove").bytes()).json();
        assertThat(execution.output()).isEqualTo(Map.of("decision", replayOverTheDirectPath));
        assertThat(execution.decision()).containsEntry("decidedBy", "workflow:auto-approval-policy")
                .containsEntry("requestedBy", "arn:aws:states:us-east-1:123456789012:execution:ApprovalFlow:"
                        + "Rückerstattung-订单-✓");
        assertThat(execution.decision().keySet()).isEqualTo(httpAnswerKeys());
    }

    // --- the ways out -----------------------------------------------------------------------------------------------

    @Test
    void aPersonRejects_theExecutionFailsAsRejected_andTheActionNeverRuns() {
        var execution = run().whileWaiting(w -> Answer.invoke(local.reject,
                Shape.HTTP_API.event(Decision.REJECT, UUID.fromString(w.approvalId()), 1, "no-" + w.approvalId()).bytes()))
                .start("person-rejects", input("refund"));

        assertThat(execution.status()).isEqualTo("FAILED");
        assertThat(execution.error()).isEqualTo("ApprovalRejected");
        assertThat(execution.trace()).doesNotContain("ConfirmApproval", "PerformApprovedAction");
    }

    @Test
    void nobodyDecides_theApprovalExpiresOnce_withItsAuditEvent() {
        AtomicReference<String> id = new AtomicReference<>();

        var execution = run().start("nobody-decides", input("refund"), id::set);

        assertThat(execution.status()).isEqualTo("FAILED");
        assertThat(execution.error()).isEqualTo("ApprovalExpired");
        UUID approval = UUID.fromString(id.get());
        assertThat(local.row(approval)).containsEntry("status", "expired").containsEntry("version", 2)
                .containsEntry("decided_by", "workflow:approval-timeout");
        assertThat(local.events(approval)).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("to_status", "expired").containsEntry("to_version", 2));
    }

    /** The deadline (set when the proposal was recorded) passed before the wait began: no token is stored. */
    @Test
    void aDeadlinePassedBeforeTheWaitBegan_expiresAtOnce() {
        AtomicReference<String> id = new AtomicReference<>();
        Map<String, Object> input = with("timeoutSeconds", 1);

        var execution = run().before("AwaitDecision", () -> {
            try {
                Thread.sleep(1100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).whileWaiting(w -> { throw new AssertionError("nothing may wait on an approval past its deadline"); })
                .start("late-wait", input, id::set);

        assertThat(execution.error()).isEqualTo("ApprovalExpired");
        assertThat(execution.trace()).containsSubsequence("AwaitDecision", "ExpireApproval", "AfterDeadline", "Expired");
        assertThat(local.row(UUID.fromString(id.get()))).containsEntry("status", "expired").containsEntry("task_token", null);
    }

    /** Defect 8: a token read from the database and a forged SendTaskSuccess do not reach the action. */
    @Test
    void aForgedResumeWithATokenReadFromTheDatabase_stopsBeforeTheAction() {
        var execution = run().whileWaiting(w -> {
            String stolen = (String) local.row(UUID.fromString(w.approvalId())).get("task_token");
            sfn.sendTaskSuccess(b -> b.taskToken(stolen).output("{\"id\":\"" + w.approvalId()
                    + "\",\"status\":\"approved\",\"version\":2}"));
        }).start("forged-resume", input("refund"));

        assertThat(execution.status()).isEqualTo("FAILED");
        assertThat(execution.error()).isEqualTo("ApprovalNotConfirmed");
        assertThat(execution.trace()).contains("ConfirmApproval").doesNotContain("PerformApprovedAction");
    }

    @Test
    void aResumeWithAnythingButTheApproval_stopsBeforeTheAction() {
        var execution = run().whileWaiting(w -> sfn.sendTaskSuccess(b -> b.taskToken(w.taskToken()).output("\"yes\"")))
                .start("odd-resume", input("refund"));

        assertThat(execution.error()).isEqualTo("ApprovalNotConfirmed");
    }

    /** Defect 4: missing or wrong input fails at once, named, with the field in the cause; nothing is recorded. */
    @Test
    void invalidInput_failsAtOnceWithANamedErrorAndTheFieldInTheCause() {
        Map<Object, String> causes = new LinkedHashMap<>();
        causes.put(without("timeoutSeconds"), "timeoutSeconds is required");
        causes.put(without("actionType"), "actionType is required");
        causes.put(without("actionPayload"), "actionPayload is required");
        causes.put(with("autoApprove", true), "autoApprove is not accepted");
        causes.put(with("requestedBy", "agent-7"), "requestedBy is not accepted");
        causes.put(with("timeoutSeconds", 0), "timeoutSeconds must be a whole number");
        causes.put(with("timeoutSeconds", "86400"), "timeoutSeconds must be a whole number");
        causes.put(with("actionPayload", List.of(1)), "actionPayload must be a JSON object");
        causes.put(with("colour", "blue"), "Unknown field 'colour'");
        causes.put("refund please", "The execution input must be a JSON object");
        List<Map<String, Object>> before = local.everything();

        causes.forEach((input, cause) -> {
            var execution = run().start("invalid-" + UUID.randomUUID(), input);

            assertThat(execution.status()).isEqualTo("FAILED");
            assertThat(execution.error()).isEqualTo("InvalidInput");
            assertThat(execution.cause()).as("cause for %s", input).startsWith(cause);
            assertThat(execution.attempts()).containsExactly(Map.entry("ProposeApproval", 1));
        });
        assertThat(local.everything()).isEqualTo(before);
    }

    /** Defect 5: a Data API BadRequestException (a SQL error) is not retried; a database outage is. */
    @Test
    void onlyTransientErrorsAreRetried() {
        local.dataApi.faults().errorForNextCalls(1, "BadRequestException", "ExecuteStatement");
        var hopeless = run().start("sql-error", input("refund"));

        assertThat(hopeless.error()).isEqualTo("dev.approvals.errors.DecisionFailedException");
        assertThat(hopeless.attempts()).containsExactly(Map.entry("ProposeApproval", 1));

        local.dataApi.faults().clear().unavailableBeforeExecuteForNextCalls(4, "ExecuteStatement");
        AtomicReference<Answer> http = new AtomicReference<>();
        var outage = run().whileWaiting(w -> http.set(approveOverHttp(w.approvalId()))).start("outage", input("refund"));

        assertThat(outage.status()).as(outage.toString()).isEqualTo("SUCCEEDED");
        assertThat(outage.attempts().get("ProposeApproval")).isEqualTo(2);
    }

    /** Only the state machine invokes the workflow function: a payload its definition cannot produce is a named bug. */
    @Test
    void aStepPayloadTheDefinitionCannotProduce_isRefusedNamingTheField() {
        UUID id = local.seedPending();
        Map<String, String> refusals = Map.of(
                "{\"step\":\"approve\",\"approvalId\":\"" + id + "\"}", "step must be propose, await, expire or confirm",
                "{\"step\":\"await\",\"approvalId\":\"" + id + "\"}", "taskToken must be a non-empty string",
                "{\"step\":\"expire\",\"approvalId\":\"nope\",\"decisionKey\":\"k\"}", "approvalId must be a UUID",
                "[]", "The payload must be a JSON object");
        List<Map<String, Object>> before = local.everything();

        refusals.forEach((payload, message) -> assertThatThrownBy(() -> Answer.invoke(local.workflow,
                payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(dev.approvals.errors.InvalidDecisionRequestException.class)
                .hasMessageStartingWith(message));
        assertThat(local.everything()).isEqualTo(before);
    }

    @Test
    void everyTransitionIntoTheAction_comesFromConfirmApproval() {
        List<String> into = new ArrayList<>();
        run().states().forEach((name, state) -> {
            if (StateMachineRun.targets(state).contains("PerformApprovedAction")) {
                into.add(name);
            }
        });

        assertThat(into).containsExactly("ConfirmApproval");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static StateMachineRun run() {
        return new StateMachineRun(Map.of("WorkflowFunctionAlias", local.workflow, "ApproveFunctionAlias", local.approve),
                stepFunctions);
    }

    private static Map<String, Object> input(String actionType) {
        Map<String, Object> input = Events.load("approval-flow-input.json");
        input.put("actionType", actionType);
        return input;
    }

    private static Map<String, Object> without(String field) {
        Map<String, Object> input = input("refund");
        input.remove(field);
        return input;
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> input = input("refund");
        input.put(field, value);
        return input;
    }

    private static Answer approveOverHttp(String approvalId) {
        Answer answer = Answer.invoke(local.approve,
                Shape.HTTP_API.event(Decision.APPROVE, UUID.fromString(approvalId), 1, "yes-" + approvalId).bytes());
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer;
    }

    /** The members an HTTP decision answer shows for an approval with a deadline, as every workflow approval has. */
    private static java.util.Set<String> httpAnswerKeys() {
        UUID id = local.seed(UUID.randomUUID(), Instant.now().plus(Duration.ofHours(1)));
        return Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "keys-" + id).bytes())
                .body().keySet();
    }

    /**
     * A person's approval in a transaction of its own: it holds the row lock until the expiry statement waits for
     * it, then commits. Returns once the lock is held.
     */
    private static Future<?> approveHoldingTheLockUntilTheExpiryWaits(String approvalId) {
        CountDownLatch locked = new CountDownLatch(1);
        Future<?> person = pool.submit(() -> {
            try (Connection connection = local.jdbc.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement decide = connection.prepareStatement("UPDATE ai_approvals SET status = "
                        + "'approved', version = 2, decided_by = 'dave', decided_at = now(), decision_key = 'dave-key' "
                        + "WHERE id = ?")) {
                    decide.setObject(1, UUID.fromString(approvalId));
                    assertThat(decide.executeUpdate()).isEqualTo(1);
                }
                locked.countDown();
                awaitStatementWaitingForALock("%WITH expired AS%");
                connection.commit();
            }
            return null;
        });
        try {
            assertThat(locked.await(20, TimeUnit.SECONDS)).as("the person holds the row lock").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return person;
    }

    /** Waits (bounded, not a timing assertion) until a statement like {@code pattern} is blocked on a row lock. */
    private static void awaitStatementWaitingForALock(String pattern) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(giveUp)) {
            if (!local.query("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
                    pattern).isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("No statement like " + pattern + " ever waited for the lock");
    }
}
