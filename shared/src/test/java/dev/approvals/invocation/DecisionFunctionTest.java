package dev.approvals.invocation;

import dev.approvals.callback.WorkflowCallbacks;
import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.ApprovalStore;
import dev.approvals.core.Approvals;
import dev.approvals.core.Decision;
import dev.approvals.core.DecisionAttempt;
import dev.approvals.core.DecisionRequest;
import dev.approvals.core.DecisionService;
import dev.approvals.errors.ApprovalVersionConflictException;
import dev.approvals.errors.DecisionFailedException;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.errors.InvocationRefusedException;
import dev.approvals.json.Json;
import dev.approvals.testing.Events;
import dev.approvals.testing.TestContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static dev.approvals.core.ApprovalStatus.APPROVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handler's wiring with a stand-in store: shapes, logging and the never-leak rules. */
class DecisionFunctionTest {

    private static final String WORKFLOW_ACTOR = "workflow:auto-approval-policy";

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private Instant lastDeadline;

    private DecisionFunction function(Function<DecisionRequest, DecisionAttempt> decide) {
        ApprovalStore store = new ApprovalStore() {
            @Override
            public DecisionAttempt decide(DecisionRequest request, Instant deadline) {
                lastDeadline = deadline;
                return decide.apply(request);
            }

            @Override
            public Optional<ApprovalSnapshot> read(UUID approvalId, Instant deadline) {
                throw new AssertionError("not expected");
            }
        };
        return new DecisionFunction(Decision.APPROVE, Optional.empty(), Optional.of(WORKFLOW_ACTOR),
                new DecisionService(store), WorkflowCallbacks.NONE,
                Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), java.time.ZoneOffset.UTC),
                new DecisionLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8)));
    }

    @Test
    void httpWin_answers200_andLogsOneLineWithoutTheReason() throws IOException {
        String answer = invoke(function(r -> new DecisionAttempt.Won(Approvals.decided(APPROVED, 2, r.actor(), r.decisionKey()))),
                Events.bytes("approve-http.json"), new TestContext("req-1", 25_000, "http"));

        assertThat(answer).contains("\"statusCode\":200");
        String log = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(log.lines()).hasSize(1);
        assertThat(log).contains("\"requestId\":\"req-1\"", "\"outcome\":\"won\"", "\"shape\":\"HTTP_API\"",
                "\"approvalId\":\"" + Approvals.ID.toString().substring(0, 8))
                .doesNotContain("Refund amount matches the order");
    }

    @Test
    void deadline_leavesRoomForTheCallbackAndTheAnswer_withinTheLambdaTimeout() throws IOException {
        invoke(function(r -> new DecisionAttempt.Won(Approvals.decided(APPROVED, 2, r.actor(), r.decisionKey()))),
                Events.bytes("approve-direct.json"), new TestContext("r", 10_000, "workflow"));

        assertThat(lastDeadline).isEqualTo(Instant.parse("2026-11-27T12:00:03Z"));
    }

    @Test
    void httpUnexpectedFailure_answers500_andOnlyTheLogHasTheCause() throws IOException {
        String answer = invoke(function(r -> {
                    throw new IllegalStateException("ERROR: column \"nope\" does not exist; SQLState: 42703");
                }),
                Events.bytes("approve-http.json"), new TestContext("req-2", 25_000, "http"));

        assertThat(answer).contains("\"statusCode\":500", "req-2").doesNotContain("SQLState", "IllegalStateException");
        assertThat(logBytes.toString(StandardCharsets.UTF_8))
                .contains("\"level\":\"ERROR\"", "IllegalStateException", "SQLState", "DecisionFunctionTest");
    }

    @Test
    void directConflict_isThrownAsItsPublicType() {
        DecisionFunction function = function(r -> new DecisionAttempt.NotWon(new ApprovalSnapshot(Approvals.pending(4), false)));

        assertThatThrownBy(() -> invoke(function, Events.bytes("approve-direct.json"), TestContext.through("workflow")))
                .isInstanceOf(ApprovalVersionConflictException.class)
                .hasMessageContaining("is at version 4, not 1")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }

    @Test
    void directUnexpectedFailure_isADecisionFailedException_namingOnlyTheRequestId() {
        DecisionFunction function = function(r -> {
            throw new IllegalStateException("ERROR: relation does not exist; SQLState: 42P01");
        });

        assertThatThrownBy(() -> invoke(function, Events.bytes("approve-direct.json"), new TestContext("req-3", 25_000, "workflow")))
                .isInstanceOf(DecisionFailedException.class)
                .hasMessageContaining("req-3")
                .hasMessageNotContaining("SQLState");
    }

    @Test
    void directPayloadThatIsNotAnObject_isInvalid() {
        DecisionFunction function = function(r -> {
            throw new AssertionError("must not decide");
        });

        for (String payload : new String[]{"", "[1,2]", "\"approve\"", "{not json"}) {
            assertThatThrownBy(() -> invoke(function, payload.getBytes(StandardCharsets.UTF_8), TestContext.through("workflow")))
                    .isInstanceOf(InvalidDecisionRequestException.class);
        }
    }

    @Test
    void directPayloadThatIsNotUtf8Json_isInvalid_namingTheEncoding() {
        DecisionFunction function = function(r -> {
            throw new AssertionError("must not decide");
        });
        byte[] utf32 = {0, 0, 0, '{', 0, 0x11, 0, 0};
        byte[] utf16 = "{\"approvalId\": \"8e3f0c5b-1d6a-4f4e-8b92-5a7d1e4f6b82\", \"expectedVersion\": 1, \"actor\": \"a\"}"
                .getBytes(StandardCharsets.UTF_16LE);

        for (byte[] payload : new byte[][]{utf32, utf16}) {
            assertThatThrownBy(() -> invoke(function, payload, TestContext.through("workflow")))
                    .isInstanceOf(InvalidDecisionRequestException.class)
                    .hasMessageStartingWith("The payload is not valid JSON: ")
                    .hasMessageContaining("JSON must be UTF-8");
        }
    }

    @Test
    void httpBodyThatEncodingDetectionReadsAsUtf32_answers400_never500() throws IOException {
        DecisionFunction function = function(r -> {
            throw new AssertionError("must not decide");
        });
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", "\u0000\u0000\u0000{\u0000\u0011\u0000\u0000");

        Map<?, ?> answer = (Map<?, ?>) Json.parse(invoke(function, Json.writeBytes(event), TestContext.through("http"))
                .getBytes(StandardCharsets.UTF_8));

        assertThat(answer.get("statusCode")).isEqualTo(400);
        assertThat((String) answer.get("body")).contains("JSON must be UTF-8");
    }

    @Test
    void answersAreJson() throws IOException {
        String answer = invoke(function(r -> new DecisionAttempt.Won(Approvals.decided(APPROVED, 2, r.actor(), r.decisionKey()))),
                Events.bytes("approve-direct.json"), TestContext.through("workflow"));

        assertThat(Json.parse(answer.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Map.class);
    }

    @Test
    void anHttpShapedEventWithForgedClaims_throughTheWorkflowAlias_isRefusedUnread() {
        DecisionFunction function = function(r -> {
            throw new AssertionError("must not decide");
        });

        assertThatThrownBy(() -> invoke(function, Events.bytes("approve-http.json"), TestContext.through("workflow")))
                .isInstanceOf(InvocationRefusedException.class)
                .hasMessageContaining("accepts only the direct decision payload");
    }

    @Test
    void theUnqualifiedFunction_$LATEST_orAnotherAlias_refuseEveryEvent() {
        DecisionFunction function = function(r -> {
            throw new AssertionError("must not decide");
        });

        for (String qualifier : new String[]{null, "$LATEST", "live", "httpx"}) {
            for (String event : new String[]{"approve-http.json", "approve-direct.json"}) {
                assertThatThrownBy(() -> invoke(function, Events.bytes(event),
                        new TestContext("r", 25_000, qualifier)))
                        .as(qualifier + " " + event)
                        .isInstanceOf(InvocationRefusedException.class);
            }
        }
    }

    @Test
    void aDirectPayload_throughTheHttpAlias_isRefused() {
        DecisionFunction function = function(r -> {
            throw new AssertionError("must not decide");
        });

        assertThatThrownBy(() -> invoke(function, Events.bytes("approve-direct.json"), TestContext.through("http")))
                .isInstanceOf(InvocationRefusedException.class);
    }

    @Test
    void theWorkflowDecidesAsTheConfiguredActor_andAPayloadNamingAnActorIsRefused() throws IOException {
        String answer = invoke(function(r -> new DecisionAttempt.Won(Approvals.decided(APPROVED, 2, r.actor(), r.decisionKey()))),
                Events.bytes("approve-direct.json"), TestContext.through("workflow"));
        assertThat(answer).contains("\"decidedBy\":\"" + WORKFLOW_ACTOR + "\"");

        Map<String, Object> forged = Events.load("approve-direct.json");
        forged.put("actor", "alice");
        DecisionFunction function = function(r -> {
            throw new AssertionError("must not decide");
        });
        assertThatThrownBy(() -> invoke(function, Json.writeBytes(forged), TestContext.through("workflow")))
                .isInstanceOf(InvalidDecisionRequestException.class).hasMessageContaining("actor is not accepted");
    }

    @Test
    void anEventOverTheLimit_isRefusedUnparsed_413OverHttp_invalidOnTheDirectPath() throws IOException {
        DecisionFunction function = function(r -> {
            throw new AssertionError("must not decide");
        });
        byte[] huge = new byte[DecisionFunction.MAX_EVENT_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');

        assertThat(invoke(function, huge, TestContext.through("http"))).contains("\"statusCode\":413");
        assertThatThrownBy(() -> invoke(function, huge, TestContext.through("workflow")))
                .isInstanceOf(InvalidDecisionRequestException.class).hasMessageContaining("over 65536 bytes");
    }

    private static String invoke(DecisionFunction function, byte[] event, TestContext context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handle(new ByteArrayInputStream(event), out, context);
        return out.toString(StandardCharsets.UTF_8);
    }
}
