package dev.approvals.core;

import java.time.Instant;
import java.util.UUID;

/** Test data: approvals in every state. */
public final class Approvals {

    public static final UUID ID = UUID.fromString("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f");
    public static final Instant REQUESTED_AT = Instant.parse("2026-11-27T10:00:00Z");

    private Approvals() {
    }

    public static Approval pending(int version) {
        return new Approval(ID, ApprovalStatus.PENDING, version, "refund", "{\"amount\":42}", "agent-7",
                REQUESTED_AT, null, null, null, null, null, null);
    }

    public static Approval decided(ApprovalStatus status, int version, String actor, String key) {
        return new Approval(ID, status, version, "refund", "{\"amount\":42}", "agent-7", REQUESTED_AT, null,
                actor, REQUESTED_AT.plusSeconds(60), "because", key, null);
    }

    public static DecisionRequest request(Decision decision, int expectedVersion, String actor, String key) {
        return new DecisionRequest(decision, ID, expectedVersion, actor, "because", key);
    }
}
