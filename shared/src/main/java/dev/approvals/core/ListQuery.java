package dev.approvals.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A page of a listing: approvals in the order they were requested (oldest first), optionally only one status and
 * one action type, starting after {@code after}.
 *
 * @param limit how many approvals a page holds, 1 to {@link #MAX_LIMIT}
 */
public record ListQuery(Optional<ApprovalStatus> status, Optional<String> actionType, int limit,
                        Optional<ListPosition> after) {

    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;

    public ListQuery {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }
}
