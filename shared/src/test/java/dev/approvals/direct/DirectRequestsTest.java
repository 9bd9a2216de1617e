package dev.approvals.direct;

import dev.approvals.core.DecisionRequest;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.http.InvocationShape;
import dev.approvals.testing.Events;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.approvals.core.Decision.APPROVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectRequestsTest {

    private static final String ACTOR = "workflow:auto-approval-policy";

    @Test
    void aPayloadNamingAnActor_isRefused_theWorkflowNeverDecidesAsSomeoneElse() {
        Map<String, Object> payload = Events.load("approve-direct.json");
        payload.put("actor", "alice");

        assertThatThrownBy(() -> DirectRequests.parse(payload, APPROVE, ACTOR, "r"))
                .isInstanceOf(InvalidDecisionRequestException.class)
                .hasMessageContaining("actor is not accepted");
    }

    @Test
    void stepFunctionsPayload_carriesTheKey_andTheActorIsTheDeployments() {
        Map<String, Object> payload = Events.load("approve-direct.json");

        DecisionRequest request = DirectRequests.parse(payload, APPROVE, ACTOR, "lambda-request-id");

        assertThat(InvocationShape.of(payload)).isEqualTo(InvocationShape.DIRECT);
        assertThat(request.actor()).isEqualTo("workflow:auto-approval-policy");
        assertThat(request.decisionKey()).isEqualTo(payload.get("approvalId") + "#AutoApprove");
        assertThat(request.expectedVersion()).isEqualTo(1);
    }

    @Test
    void withoutIdempotencyKey_theLambdaRequestIdIsTheKey() {
        Map<String, Object> payload = Events.load("approve-direct.json");
        payload.remove("idempotencyKey");

        assertThat(DirectRequests.parse(payload, APPROVE, ACTOR, "lambda-request-id").decisionKey()).isEqualTo("lambda-request-id");
    }

    @Test
    void versionAsString_isInvalid() {
        assertThatThrownBy(() -> DirectRequests.parse(Events.load("approve-direct-invalid.json"), APPROVE, ACTOR, "r"))
                .isInstanceOf(InvalidDecisionRequestException.class)
                .hasMessageContaining("expectedVersion");
    }

    @Test
    void eachRequiredField_isNamedWhenMissing() {
        for (String field : new String[]{"approvalId", "expectedVersion"}) {
            Map<String, Object> payload = Events.load("approve-direct.json");
            payload.remove(field);

            assertThatThrownBy(() -> DirectRequests.parse(payload, APPROVE, ACTOR, "r"))
                    .isInstanceOf(InvalidDecisionRequestException.class)
                    .hasMessage(field + " is required");
        }
    }

    @Test
    void unknownField_isNamed() {
        Map<String, Object> payload = Events.load("approve-direct.json");
        payload.put("taskToken", "x");

        assertThatThrownBy(() -> DirectRequests.parse(payload, APPROVE, ACTOR, "r"))
                .hasMessageContaining("Unknown field 'taskToken'");
    }
}
