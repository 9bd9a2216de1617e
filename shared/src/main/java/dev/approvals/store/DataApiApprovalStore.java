package dev.approvals.store;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.ApprovalStore;
import dev.approvals.core.DecisionAttempt;
import dev.approvals.core.DecisionRequest;
import dev.approvals.core.EventKind;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.approvals.store.DataApiStatements.text;
import static dev.approvals.store.DataApiStatements.uuid;

/**
 * The deciders' store on the RDS Data API (the approver and rejecter database roles): one {@code ExecuteStatement}
 * per call, parameters always bound, Aurora's resume waited out (see {@link DataApiStatements}).
 */
public final class DataApiApprovalStore implements ApprovalStore {

    /** Every column a decision answer needs, in one place so the decision and the re-read return the same shape. */
    private static final String COLUMNS = Row.VISIBLE_COLUMNS + ", decision_key, task_token";

    /**
     * Update, audit insert, outbox insert (the decision's event, §12) and current-row read in one statement
     * (docs/design.md §3). All parts share one snapshot:
     * when the update matches nothing, the last SELECT returns the row as it was, with {@code decided = false}.
     * A requester never approves its own request (V5's constraint says the same); it may reject it.
     */
    static final String DECIDE_SQL = """
            WITH decided AS (
                UPDATE ai_approvals
                   SET status = :targetStatus,
                       version = version + 1,
                       decided_by = :actor,
                       decided_at = now(),
                       decision_reason = :reason,
                       decision_key = :decisionKey,
                       updated_at = now()
                 WHERE id = :id
                   AND version = :expectedVersion
                   AND status = 'pending'
                   AND (expires_at IS NULL OR expires_at > now())
                   AND (:targetStatus <> 'approved' OR requested_by <> :actor)
                RETURNING %1$s
            ), audit AS (
                INSERT INTO ai_approval_events
                       (approval_id, from_status, to_status, from_version, to_version, actor, reason, decision_key)
                SELECT id, 'pending', status, version - 1, version, decided_by, decision_reason, decision_key
                  FROM decided
            )%2$s
            SELECT true AS decided, false AS expired, %1$s FROM decided
            UNION ALL
            SELECT false, expires_at IS NOT NULL AND expires_at <= now(), %1$s
              FROM ai_approvals
             WHERE id = :id AND NOT EXISTS (SELECT 1 FROM decided)
            """.formatted(COLUMNS, OutboxSql.insertFrom("decided", EventKind.DECIDED));

    static final Columns DECIDE_COLUMNS = Columns.of("decided, expired", COLUMNS);

    static final String READ_SQL = """
            SELECT false AS decided, expires_at IS NOT NULL AND expires_at <= now() AS expired, %s
              FROM ai_approvals
             WHERE id = :id
            """.formatted(COLUMNS);

    static final Columns READ_COLUMNS = DECIDE_COLUMNS;

    private final DataApiStatements statements;

    public DataApiApprovalStore(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.statements = new DataApiStatements(rdsData, target, clock, sleeper);
    }

    @Override
    public DecisionAttempt decide(DecisionRequest request, Instant deadline) {
        List<SqlParameter> parameters = List.of(
                uuid("id", request.approvalId()),
                SqlParameter.builder().name("expectedVersion")
                        .value(Field.builder().longValue((long) request.expectedVersion()).build()).build(),
                text("targetStatus", request.decision().targetStatus().wireName()),
                text("actor", request.actor()),
                text("reason", request.reason()),
                text("decisionKey", request.decisionKey()));
        List<Row> rows = statements.execute(DECIDE_SQL, DECIDE_COLUMNS, parameters, deadline);
        if (rows.isEmpty()) {
            return new DecisionAttempt.Missing();
        }
        Row row = rows.getFirst();
        Approval approval = row.toApproval();
        return row.bool("decided")
                ? new DecisionAttempt.Won(approval)
                : new DecisionAttempt.NotWon(new ApprovalSnapshot(approval, row.bool("expired")));
    }

    @Override
    public Optional<ApprovalSnapshot> read(UUID approvalId, Instant deadline) {
        List<Row> rows = statements.execute(READ_SQL, READ_COLUMNS, List.of(uuid("id", approvalId)), deadline);
        return rows.stream().findFirst().map(row -> new ApprovalSnapshot(row.toApproval(), row.bool("expired")));
    }
}
