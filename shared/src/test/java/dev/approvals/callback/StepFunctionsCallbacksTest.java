package dev.approvals.callback;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovalStatus;
import dev.approvals.core.Approvals;
import dev.approvals.local.stepfunctions.LocalStepFunctions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Callbacks against the local Step Functions endpoint, through the unmodified SDK client. */
class StepFunctionsCallbacksTest {

    private static LocalStepFunctions stepFunctions;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        stepFunctions = LocalStepFunctions.start(0);
        sfn = client(stepFunctions.endpoint());
    }

    @AfterAll
    static void stop() {
        sfn.close();
        stepFunctions.close();
    }

    @BeforeEach
    void reset() {
        stepFunctions.reset();
    }

    @Test
    void approved_sendsTaskSuccess_withTheApprovalAsOutput() {
        CallbackOutcome outcome = new StepFunctionsCallbacks(() -> sfn).resume(waitedOn(ApprovalStatus.APPROVED, "because", "t-1"));

        assertThat(outcome).isEqualTo(CallbackOutcome.DELIVERED);
        assertThat(stepFunctions.accepted()).singleElement().satisfies(c -> {
            assertThat(c.operation()).isEqualTo("SendTaskSuccess");
            assertThat(c.taskToken()).isEqualTo("t-1");
            assertThat(c.output()).contains("\"status\":\"approved\"", "\"version\":2").doesNotContain("t-1");
        });
    }

    @Test
    void rejected_sendsTaskFailure_namedForTheStateMachine_withTheReasonAsCause() {
        new StepFunctionsCallbacks(() -> sfn).resume(waitedOn(ApprovalStatus.REJECTED, "too expensive", "t-2"));
        new StepFunctionsCallbacks(() -> sfn).resume(waitedOn(ApprovalStatus.REJECTED, null, "t-3"));

        assertThat(stepFunctions.accepted()).hasSize(2).allSatisfy(c -> {
            assertThat(c.operation()).isEqualTo("SendTaskFailure");
            assertThat(c.error()).isEqualTo("dev.approvals.errors.ApprovalRejectedException");
        });
        assertThat(stepFunctions.accepted()).extracting(LocalStepFunctions.Callback::cause)
                .containsExactly("too expensive", "Rejected by alice");
    }

    @Test
    void noTaskToken_callsNothing_andNeverBuildsTheClient() {
        AtomicInteger built = new AtomicInteger();
        CallbackOutcome outcome = new StepFunctionsCallbacks(() -> {
            built.incrementAndGet();
            return sfn;
        }).resume(Approvals.decided(ApprovalStatus.APPROVED, 2, "alice", "k"));

        assertThat(outcome).isEqualTo(CallbackOutcome.NOT_WAITED_ON);
        assertThat(built).hasValue(0);
        assertThat(stepFunctions.callbacks()).isEmpty();
    }

    @Test
    void alreadyClosedTask_meansTheWorkflowMovedOn_andIsNotAnError() {
        StepFunctionsCallbacks callbacks = new StepFunctionsCallbacks(() -> sfn);
        callbacks.resume(waitedOn(ApprovalStatus.APPROVED, null, "t-4"));

        assertThat(callbacks.resume(waitedOn(ApprovalStatus.APPROVED, null, "t-4"))).isEqualTo(CallbackOutcome.WORKFLOW_GONE);
        assertThat(stepFunctions.accepted()).hasSize(1);
    }

    @Test
    void transientFailure_isRetriedByTheSdk() {
        stepFunctions.failNextCalls(1);

        assertThat(new StepFunctionsCallbacks(() -> sfn).resume(waitedOn(ApprovalStatus.APPROVED, null, "t-5")))
                .isEqualTo(CallbackOutcome.DELIVERED);
    }

    @Test
    void persistentFailure_isReported_notThrown() {
        stepFunctions.failNextCalls(100);

        assertThat(new StepFunctionsCallbacks(() -> sfn).resume(waitedOn(ApprovalStatus.APPROVED, null, "t-6")))
                .isEqualTo(CallbackOutcome.FAILED);
        try (SfnClient nowhere = client(URI.create("http://127.0.0.1:9"))) {
            assertThat(new StepFunctionsCallbacks(() -> nowhere).resume(waitedOn(ApprovalStatus.APPROVED, null, "t-7")))
                    .isEqualTo(CallbackOutcome.FAILED);
        }
    }

    private static Approval waitedOn(ApprovalStatus status, String reason, String token) {
        Approval decided = Approvals.decided(status, 2, "alice", "k");
        return new Approval(decided.id(), status, 2, decided.actionType(), decided.actionPayloadJson(),
                decided.requestedBy(), decided.requestedAt(), null, "alice", decided.decidedAt(), reason, "k", token);
    }

    private static SfnClient client(URI endpoint) {
        return SfnClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
