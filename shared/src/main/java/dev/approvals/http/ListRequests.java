package dev.approvals.http;

import dev.approvals.core.ApprovalStatus;
import dev.approvals.core.ListQuery;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.ProposalFields;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /approvals?status=&actionType=&limit=&cursor=}: every parameter optional, each at most once, no
 * others. {@code status} is one of the statuses (absent: all); {@code limit} 1 to {@value ListQuery#MAX_LIMIT}
 * (absent: {@value ListQuery#DEFAULT_LIMIT}); {@code cursor} the {@code nextCursor} of the previous page, with
 * the same filters.
 */
public final class ListRequests {

    static final Set<String> PARAMETERS = Set.of("status", "actionType", "limit", "cursor");
    private static final String STATUSES = Arrays.stream(ApprovalStatus.values()).map(ApprovalStatus::wireName)
            .collect(Collectors.joining(", "));

    private ListRequests() {
    }

    /** @throws InvalidDecisionRequestException naming the parameter */
    public static ListQuery parse(HttpRequest request, Cursors cursors) {
        Map<String, String> query = request.query(PARAMETERS);
        ListQuery filters = new ListQuery(
                Optional.ofNullable(query.get("status")).map(ListRequests::status),
                Optional.ofNullable(query.get("actionType")).map(type -> ProposalFields.actionType(type, "actionType")),
                limit(query.get("limit")),
                Optional.empty());
        String cursor = query.get("cursor");
        return cursor == null ? filters : new ListQuery(filters.status(), filters.actionType(), filters.limit(),
                Optional.of(cursors.decode(cursor, filters)));
    }

    private static ApprovalStatus status(String value) {
        return Arrays.stream(ApprovalStatus.values()).filter(s -> s.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new InvalidDecisionRequestException("status must be one of " + STATUSES));
    }

    private static int limit(String value) {
        if (value == null) {
            return ListQuery.DEFAULT_LIMIT;
        }
        if (!value.matches("[1-9][0-9]{0,2}") || Integer.parseInt(value) > ListQuery.MAX_LIMIT) {
            throw new InvalidDecisionRequestException("limit must be a whole number from 1 to " + ListQuery.MAX_LIMIT);
        }
        return Integer.parseInt(value);
    }
}
