package dev.approvals.core;

import java.util.Objects;

/**
 * One event about one approval: what happened, and the approval as it was right after (docs/events.md). An approval
 * reaches each version once, so its id and version identify the event: consumers deduplicate on {@link #eventId()}.
 */
public record ApprovalEvent(EventKind kind, Approval approval) {

    public ApprovalEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(approval, "approval");
    }

    /** The event telling how this approval came to be as it is (its status names the kind). */
    public static ApprovalEvent of(Approval approval) {
        return new ApprovalEvent(EventKind.of(approval.status()), approval);
    }

    /** {@code <approval id>:<version>}: the same for every delivery of this event, distinct for every other. */
    public String eventId() {
        return eventId(approval.id().toString(), approval.version());
    }

    public static String eventId(String approvalId, int version) {
        return approvalId + ":" + version;
    }
}
