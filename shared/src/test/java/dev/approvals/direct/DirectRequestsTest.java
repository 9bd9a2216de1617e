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

    @Test
    void stepFunctionsPayload_carriesTheActorAndKey() {
        Map<String, Object> payload = Events.load("approve-direct.json");

        DecisionRequest request = DirectRequests.parse(payload, APPROVE, "lambda-request-id");

        assertThat(InvocationShape.of(payload)).isEqualTo(InvocationShape.DIRECT);
        assertThat(request.actor()).isEqualTo("workflow:auto-approval-policy");
        assertThat(request.decisionKey()).isEqualTo(payload.get("approvalId") + "#AutoApprove");
        assertThat(request.expectedVersion()).isEqualTo(1);
    }

    @Test
    void withoutIdempotencyKey_theLambdaRequestIdIsTheKey() {
        Map<String, Object> payload = Events.load("approve-direct.json");
        payload.remove("idempotencyKey");

        assertThat(DirectRequests.parse(payload, APPROVE, "lambda-request-id").decisionKey()).isEqualTo("lambda-request-id");
    }

    @Test
    void versionAsString_isInvalid() {
        assertThatThrownBy(() -> DirectRequests.parse(Events.load("approve-direct-invalid.json"), APPROVE, "r"))
                .isInstanceOf(InvalidDecisionRequestException.class)
                .hasMessageContaining("expectedVersion");
    }

    @Test
    void eachRequiredField_isNamedWhenMissing() {
        for (String field : new String[]{"approvalId", "expectedVersion", "actor"}) {
            Map<String, Object> payload = Events.load("approve-direct.json");
            payload.remove(field);

            assertThatThrownBy(() -> DirectRequests.parse(payload, APPROVE, "r"))
                    .isInstanceOf(InvalidDecisionRequestException.class)
                    .hasMessage(field + " is required");
        }
    }

    @Test
    void unknownField_isNamed() {
        Map<String, Object> payload = Events.load("approve-direct.json");
        payload.put("taskToken", "x");

        assertThatThrownBy(() -> DirectRequests.parse(payload, APPROVE, "r"))
                .hasMessageContaining("Unknown field 'taskToken'");
    }
}
