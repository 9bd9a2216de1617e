package dev.approvals.workflow;

import dev.approvals.errors.InvalidWorkflowInputException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkflowInputTest {

    private static Map<String, Object> valid() {
        Map<String, Object> input = new HashMap<>();
        input.put("actionType", "refund");
        input.put("actionPayload", Map.of("orderId", "A-1042"));
        input.put("timeoutSeconds", 86400);
        return input;
    }

    @Test
    void aValidInput_isRead_withThePayloadAsJsonText() {
        WorkflowInput input = WorkflowInput.parse(valid());

        assertThat(input).isEqualTo(new WorkflowInput("refund", "{\"orderId\":\"A-1042\"}", 86400));
    }

    @Test
    void whatTheRequesterMayNotSet_isRefusedByName() {
        assertRefused(with("autoApprove", false), "autoApprove is not accepted");
        assertRefused(with("requestedBy", "agent-7"), "requestedBy is not accepted");
        assertRefused(with("priority", 1), "Unknown field 'priority' in the execution input; allowed: "
                + "actionPayload, actionType, timeoutSeconds");
    }

    @Test
    void eachFieldIsNamedWhenMissingOrWrong() {
        for (String field : List.of("actionType", "actionPayload", "timeoutSeconds")) {
            Map<String, Object> input = valid();
            input.remove(field);
            assertRefused(input, field + " is required");
        }
        assertRefused(with("actionType", " "), "actionType must be a non-empty string");
        assertRefused(with("actionPayload", "{}"), "actionPayload must be a JSON object");
        assertRefused(with("actionPayload", Map.of("note", "a\u0000b")), "actionPayload must not contain NUL");
        assertRefused(with("actionPayload", Map.of("note", "x".repeat(WorkflowInput.MAX_PAYLOAD_BYTES))),
                "actionPayload must be at most 65536 bytes");
        for (Object timeout : List.of(0, -1, WorkflowInput.MAX_TIMEOUT_SECONDS + 1, 1.5, "60", true,
                new BigInteger("99999999999999999999"))) {
            assertRefused(with("timeoutSeconds", timeout), "timeoutSeconds must be a whole number of seconds from 1 "
                    + "to 2592000 (30 days)");
        }
        assertRefused(List.of(valid()), "The execution input must be a JSON object");
        assertRefused(null, "The execution input must be a JSON object");
    }

    @Test
    void theTimeoutBounds_areAccepted() {
        assertThat(WorkflowInput.parse(with("timeoutSeconds", 1)).timeoutSeconds()).isEqualTo(1);
        assertThat(WorkflowInput.parse(with("timeoutSeconds", 2_592_000L)).timeoutSeconds()).isEqualTo(2_592_000);
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> input = valid();
        input.put(field, value);
        return input;
    }

    private static void assertRefused(Object input, String messageStart) {
        assertThatThrownBy(() -> WorkflowInput.parse(input)).isInstanceOf(InvalidWorkflowInputException.class)
                .hasMessageStartingWith(messageStart);
    }
}
