package dev.approvals.workflow;

import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.errors.InvalidWorkflowInputException;
import dev.approvals.input.Fields;
import dev.approvals.json.Json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow execution's input: {@code {"actionType": "refund", "actionPayload": {...}, "timeoutSeconds": 86400}}.
 * Who requests it and whether a person must decide are not the requester's to say: {@code requestedBy} is the
 * execution itself and auto-approval is the deployment's policy, so input carrying either is refused by name.
 *
 * @param actionPayloadJson the payload as JSON text, for the {@code jsonb} column
 */
public record WorkflowInput(String actionType, String actionPayloadJson, int timeoutSeconds) {

    /** 30 days, as for a proposal over HTTP. */
    public static final int MAX_TIMEOUT_SECONDS = 30 * 24 * 60 * 60;
    /** The largest payload accepted, in UTF-8 bytes of its JSON text. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    static final List<String> FIELDS = List.of("actionPayload", "actionType", "timeoutSeconds");

    /** @throws InvalidWorkflowInputException naming the first field that is missing, not allowed or wrong */
    public static WorkflowInput parse(Object input) {
        Map<String, Object> fields = Fields.object(input);
        if (fields == null) {
            throw new InvalidWorkflowInputException("The execution input must be a JSON object such as "
                    + "{\"actionType\": \"refund\", \"actionPayload\": {\"orderId\": \"A-1042\"}, \"timeoutSeconds\": 86400}");
        }
        refuseFieldsTheRequesterMayNotSet(fields);
        return new WorkflowInput(actionType(fields.get("actionType")), payload(fields.get("actionPayload")),
                timeoutSeconds(fields.get("timeoutSeconds")));
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
        try {
            Fields.rejectUnknown(fields, Set.copyOf(FIELDS), "the execution input");
        } catch (InvalidDecisionRequestException e) {
            throw new InvalidWorkflowInputException(e.getMessage());
        }
    }

    private static String actionType(Object value) {
        if (value == null) {
            throw new InvalidWorkflowInputException("actionType is required, e.g. \"refund\"");
        }
        try {
            return Fields.actor(value, "actionType");
        } catch (InvalidDecisionRequestException e) {
            throw new InvalidWorkflowInputException(e.getMessage());
        }
    }

    private static String payload(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new InvalidWorkflowInputException(value == null
                    ? "actionPayload is required: a JSON object with the action's parameters"
                    : "actionPayload must be a JSON object");
        }
        String json = Json.write(value);
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new InvalidWorkflowInputException("actionPayload must be at most " + MAX_PAYLOAD_BYTES
                    + " bytes of JSON");
        }
        if (!storable(value)) {
            throw new InvalidWorkflowInputException("actionPayload must not contain NUL characters or broken Unicode");
        }
        return json;
    }

    /** PostgreSQL's jsonb holds neither NUL nor unpaired surrogates, in keys or values. */
    private static boolean storable(Object value) {
        if (value instanceof String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 0 || Character.isLowSurrogate(c)
                        || (Character.isHighSurrogate(c) && !(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(++i))))) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().allMatch(e -> storable(e.getKey()) && storable(e.getValue()));
        }
        return !(value instanceof List<?> list) || list.stream().allMatch(WorkflowInput::storable);
    }

    private static int timeoutSeconds(Object value) {
        String rule = "timeoutSeconds must be a whole number of seconds from 1 to " + MAX_TIMEOUT_SECONDS + " (30 days)";
        if (value == null) {
            throw new InvalidWorkflowInputException("timeoutSeconds is required: " + rule);
        }
        boolean whole = value instanceof Integer || value instanceof Long || value instanceof BigInteger;
        if (!whole || ((Number) value).longValue() < 1 || ((Number) value).longValue() > MAX_TIMEOUT_SECONDS
                || value instanceof BigInteger) {
            throw new InvalidWorkflowInputException(rule);
        }
        return ((Number) value).intValue();
    }
}
