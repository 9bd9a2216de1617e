package dev.approvals.direct;

import dev.approvals.core.ProposalRequest;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.errors.InvalidWorkflowInputException;
import dev.approvals.input.Fields;
import dev.approvals.input.ProposalFields;
import dev.approvals.json.Json;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow execution's input: {@code {"actionType": "refund", "actionPayload": {...}, "timeoutSeconds": 86400}},
 * held to the same rules as a proposal over HTTP ({@link ProposalFields}). Who requests it and whether a person must
 * decide are not the requester's to say: {@code requestedBy} is the execution itself and auto-approval is the
 * deployment's policy, so input carrying either is refused by name.
 *
 * @param actionPayloadJson the payload as JSON text, for the {@code jsonb} column
 */
public record WorkflowInput(String actionType, String actionPayloadJson, int timeoutSeconds) {

    /** 30 days, as for a proposal over HTTP. */
    public static final int MAX_TIMEOUT_SECONDS = Math.toIntExact(ProposalFields.MAX_EXPIRY.toSeconds());

    static final List<String> FIELDS = List.of("actionPayload", "actionType", "timeoutSeconds");

    /** @throws InvalidWorkflowInputException naming the first field that is missing, not allowed or wrong */
    public static WorkflowInput parse(Object input) {
        Map<String, Object> fields = Fields.object(input);
        if (fields == null) {
            throw new InvalidWorkflowInputException("The execution input must be a JSON object such as "
                    + "{\"actionType\": \"refund\", \"actionPayload\": {\"orderId\": \"A-1042\"}, \"timeoutSeconds\": 86400}");
        }
        try {
            refuseFieldsTheRequesterMayNotSet(fields);
            return new WorkflowInput(actionType(fields.get("actionType")), payload(fields.get("actionPayload")),
                    timeoutSeconds(fields.get("timeoutSeconds")));
        } catch (InvalidDecisionRequestException e) {
            // The shared field rules name the field; in a workflow, the input is what is wrong.
            throw new InvalidWorkflowInputException(e.getMessage());
        }
    }

    /**
     * The proposal this input makes: requested by {@code execution}, with its deadline {@code timeoutSeconds} after
     * {@code now}.
     */
    public ProposalRequest proposal(String execution, Instant now) {
        return new ProposalRequest(actionType, actionPayloadJson, now.plusSeconds(timeoutSeconds), execution, null,
                null);
    }

    private static void refuseFieldsTheRequesterMayNotSet(Map<String, Object> fields) {
        if (fields.containsKey("autoApprove")) {
            throw new InvalidWorkflowInputException("autoApprove is not accepted: whether a person must decide is the "
                    + "deployment's auto-approval policy (AutoApprovedActionTypes), not the requester's choice");
        }
        if (fields.containsKey("requestedBy")) {
            throw new InvalidWorkflowInputException("requestedBy is not accepted: the requester is recorded from the "
                    + "execution's own identity");
        }
        Fields.rejectUnknown(fields, Set.copyOf(FIELDS), "the execution input");
    }

    private static String actionType(Object value) {
        if (value == null) {
            throw new InvalidWorkflowInputException("actionType is required, e.g. \"refund\"");
        }
        return ProposalFields.actionType(value, "actionType");
    }

    private static String payload(Object value) {
        if (value == null) {
            throw new InvalidWorkflowInputException("actionPayload is required: a JSON object with the action's "
                    + "parameters");
        }
        return ProposalFields.actionPayloadJson(Json.write(ProposalFields.actionPayload(value)));
    }

    private static int timeoutSeconds(Object value) {
        String rule = "timeoutSeconds must be a whole number of seconds from 1 to " + MAX_TIMEOUT_SECONDS + " (30 days)";
        if (value == null) {
            throw new InvalidWorkflowInputException("timeoutSeconds is required: " + rule);
        }
        boolean whole = value instanceof Integer || value instanceof Long;
        if (!whole || ((Number) value).longValue() < 1 || ((Number) value).longValue() > MAX_TIMEOUT_SECONDS) {
            throw new InvalidWorkflowInputException(rule);
        }
        return ((Number) value).intValue();
    }
}
