package dev.approvals.direct;

import dev.approvals.core.ProposalRequest;
import dev.approvals.errors.InvalidWorkflowInputException;
import dev.approvals.input.ProposalFields;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
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
        assertRefused(with("actionType", " "), "actionType must be 1 to 100 letters, digits or . _ : / -");
        assertRefused(with("actionPayload", "{}"), "actionPayload must be a JSON object");
        assertRefused(with("actionPayload", Map.of("note", "a\u0000b")), "actionPayload must not contain the NUL character");
        assertRefused(with("actionPayload", Map.of("note", "x".repeat(ProposalFields.MAX_PAYLOAD_BYTES))),
                "actionPayload must be at most 65536 bytes");
        for (Object timeout : List.of(0, -1, WorkflowInput.MAX_TIMEOUT_SECONDS + 1, 1.5, "60", true,
                new BigInteger("99999999999999999999"))) {
            assertRefused(with("timeoutSeconds", timeout), "timeoutSeconds must be a whole number of seconds from 1 "
                    + "to 2592000 (30 days)");
        }
        assertRefused(List.of(valid()), "The execution input must be a JSON object");
        assertRefused(null, "The execution input must be a JSON object");
    }

    /** The same rules as a proposal over HTTP: an action type is a machine name, a payload nests at most 32 deep. */
    @Test
    void theRulesOfAProposalOverHttp_apply() {
        assertRefused(with("actionType", "refund everything"), "actionType must be 1 to 100 letters");
        Map<String, Object> deep = new HashMap<>();
        Map<String, Object> level = deep;
        for (int i = 0; i < ProposalFields.MAX_PAYLOAD_DEPTH; i++) {
            Map<String, Object> next = new HashMap<>();
            level.put("a", next);
            level = next;
        }
        assertRefused(with("actionPayload", deep), "actionPayload nests objects and arrays more than 32 levels deep");
        assertRefused(with("actionPayload", Map.of("amount", new BigDecimal("1e-16384"))),
                "actionPayload numbers must have at most 16383 digits after the decimal point");
        assertRefused(with("actionPayload", Map.of("amount", new BigDecimal("1e70000"))),
                "actionPayload must be at most 65536 bytes");
    }

    @Test
    void theProposal_isTheExecutions_withItsDeadlineTheTimeoutFromNow() {
        Instant now = Instant.parse("2026-12-02T10:00:00.045Z");

        ProposalRequest proposal = WorkflowInput.parse(valid()).proposal("arn:aws:states:eu-west-1:1:execution:F:e", now);

        assertThat(proposal).isEqualTo(new ProposalRequest("refund", "{\"orderId\":\"A-1042\"}",
                Instant.parse("2026-12-03T10:00:00.045Z"), "arn:aws:states:eu-west-1:1:execution:F:e", null, null));
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
