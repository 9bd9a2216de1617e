package dev.approvals.core;

/** What happened to an approval, as an event tells it (docs/events.md): the event's {@code detail-type}. */
public enum EventKind {
    /** A pending approval was recorded (propose, or a workflow's record step). */
    REQUESTED("ApprovalRequested"),
    /** It was approved or rejected. */
    DECIDED("ApprovalDecided"),
    /** Nobody decided it before its workflow's deadline. */
    EXPIRED("ApprovalExpired");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire: the event's {@code detail-type} and {@code detail.eventKind}, the outbox's kind. */
    public String wireName() {
        return wireName;
    }

    public static EventKind fromWireName(String value) {
        for (EventKind kind : values()) {
            if (kind.wireName.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown event kind " + value);
    }

    /** The event a change to this status tells. */
    public static EventKind of(ApprovalStatus status) {
        return switch (status) {
            case PENDING -> REQUESTED;
            case APPROVED, REJECTED -> DECIDED;
            case EXPIRED -> EXPIRED;
        };
    }
}
