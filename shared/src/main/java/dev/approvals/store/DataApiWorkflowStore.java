package dev.approvals.store;

import dev.approvals.core.Approval;
import dev.approvals.core.EventKind;
import dev.approvals.core.WorkflowStore;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.approvals.store.DataApiStatements.text;
import static dev.approvals.store.DataApiStatements.uuid;

/**
 * The workflow's own statements on the RDS Data API, as the workflow role. Nothing here selects or returns
 * {@code task_token} or {@code decision_key}: the role may not read them (docs/workflows.md, "Database
 * privileges").
 */
public final class DataApiWorkflowStore implements WorkflowStore {

    /** The deadline is the database's: a token is never stored for an approval nobody may decide any more. */
    static final String ATTACH_TOKEN_SQL = """
            UPDATE ai_approvals
               SET task_token = :taskToken, updated_at = now()
             WHERE id = :id AND status = 'pending' AND (expires_at IS NULL OR expires_at > now())
            RETURNING id
            """;
    static final Columns ATTACH_TOKEN_COLUMNS = Columns.of("id");

    /**
     * The expiry, its audit event and its outbox row (docs/design.md §12) in one statement. It returns only the row it updated: when it matched nothing,
     * its snapshot may predate a decision whose row lock it waited for, so the caller reads the row again instead of
     * trusting a snapshot that still says pending (a person's approval must never end as expired).
     */
    static final String EXPIRE_SQL = """
            WITH expired AS (
                UPDATE ai_approvals
                   SET status = 'expired',
                       version = version + 1,
                       decided_by = :actor,
                       decided_at = now(),
                       decision_reason = :reason,
                       decision_key = :decisionKey,
                       updated_at = now()
                 WHERE id = :id AND status = 'pending'
                RETURNING %1$s
            ), audit AS (
                INSERT INTO ai_approval_events
                       (approval_id, from_status, to_status, from_version, to_version, actor, reason, decision_key)
                SELECT id, 'pending', status, version - 1, version, :actor, :reason, :decisionKey
                  FROM expired
            )%2$s
            SELECT %1$s FROM expired
            """.formatted(Row.VISIBLE_COLUMNS, OutboxSql.insertFrom("expired", EventKind.EXPIRED));
    static final Columns EXPIRE_COLUMNS = Columns.of(Row.VISIBLE_COLUMNS);

    /** What the expiry records as the reason. */
    static final String EXPIRY_REASON = "No decision before the deadline";

    private final DataApiStatements statements;

    public DataApiWorkflowStore(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.statements = new DataApiStatements(rdsData, target, clock, sleeper);
    }

    @Override
    public boolean attachTaskToken(UUID approvalId, String taskToken, Instant deadline) {
        return !statements.execute(ATTACH_TOKEN_SQL, ATTACH_TOKEN_COLUMNS,
                List.of(uuid("id", approvalId), text("taskToken", taskToken)), deadline).isEmpty();
    }

    @Override
    public Optional<Approval> expire(UUID approvalId, String actor, String decisionKey, Instant deadline) {
        return statements.execute(EXPIRE_SQL, EXPIRE_COLUMNS, List.of(uuid("id", approvalId), text("actor", actor),
                        text("reason", EXPIRY_REASON), text("decisionKey", decisionKey)), deadline)
                .stream().findFirst().map(Row::toApproval);
    }
}
