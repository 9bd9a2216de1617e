package dev.approvals.store;

import dev.approvals.core.EventKind;

/**
 * The outbox row every changing statement writes in the same statement (docs/design.md §12): a data-modifying CTE
 * copying the approval as that statement's {@code RETURNING} shows it, so the change and its event commit together
 * or not at all, still in one Data API call.
 */
final class OutboxSql {

    /** The outbox's copy of the shown columns, in {@link Row#VISIBLE_COLUMNS} order (id is the approval id). */
    static final String COLUMNS = "approval_id, version, kind, status, action_type, action_payload, requested_by,"
            + " requested_at, expires_at, decided_by, decided_at, decision_reason";

    private OutboxSql() {
    }

    /**
     * {@code , <cte>_event AS (INSERT INTO ai_approval_outbox ... SELECT ... FROM <cte>)}: to append after the CTE
     * whose {@code RETURNING} holds the changed row. Inserts nothing when the change changed nothing.
     */
    static String insertFrom(String cte, EventKind kind) {
        return """
                , %1$s_event AS (
                    INSERT INTO ai_approval_outbox (%2$s)
                    SELECT id, version, '%3$s', status, action_type, action_payload, requested_by, requested_at,
                           expires_at, decided_by, decided_at, decision_reason
                      FROM %1$s
                )""".formatted(cte, COLUMNS, kind.wireName());
    }
}
