package dev.approvals.core;

import java.util.Locale;

/** The life of an approval: pending until decided or expired; every other status is final. */
public enum ApprovalStatus {
    PENDING,
    APPROVED,
    REJECTED,
    EXPIRED;

    /** The value stored in {@code ai_approvals.status} and shown in answers. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ApprovalStatus fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
