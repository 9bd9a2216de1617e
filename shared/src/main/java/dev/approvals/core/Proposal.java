package dev.approvals.core;

import java.util.Objects;
import java.util.UUID;

/**
 * A proposed action, to be recorded as a pending approval.
 *
 * @param actionPayloadJson the action's parameters as JSON text (an object)
 * @param requestedBy       who proposes it, from a trusted identity (never from free input)
 * @param timeoutSeconds    how long it may wait for a decision; its deadline is that long after it is recorded
 */
public record Proposal(UUID id, String actionType, String actionPayloadJson, String requestedBy, int timeoutSeconds) {

    public Proposal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(actionPayloadJson, "actionPayloadJson");
        Objects.requireNonNull(requestedBy, "requestedBy");
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("timeoutSeconds must be positive");
        }
    }
}
