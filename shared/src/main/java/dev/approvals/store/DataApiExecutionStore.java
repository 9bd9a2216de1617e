package dev.approvals.store;

import dev.approvals.core.ExecutionStore;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.approvals.store.DataApiStatements.text;
import static dev.approvals.store.DataApiStatements.uuid;

/**
 * Executions on the RDS Data API as the executor role: read what callers are shown of the approval, record and finish
 * its one execution.
 */
public final class DataApiExecutionStore implements ExecutionStore {

    /**
     * Confirmation and claim in one statement. {@code ON CONFLICT DO NOTHING} waits for a concurrent claim of the same
     * approval to commit and then inserts nothing: of any number of deliveries, exactly one gets {@code claimed}.
     */
    static final String CLAIM_SQL = """
            WITH approval AS (
                SELECT %1$s FROM ai_approvals WHERE id = :id
            ), claimed AS (
                INSERT INTO ai_action_executions (approval_id, version, action_type, executor)
                SELECT id, version, action_type, :executor
                  FROM approval
                 WHERE status = 'approved' AND version = :version
                ON CONFLICT (approval_id) DO NOTHING
                RETURNING approval_id
            )
            SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, %1$s FROM approval
            """.formatted(Row.VISIBLE_COLUMNS);

    static final Columns CLAIM_COLUMNS = Columns.of("claimed", Row.VISIBLE_COLUMNS);

    static final String FINISH_SQL = """
            UPDATE ai_action_executions
               SET finished_at = now(), outcome = :outcome, detail = :detail
             WHERE approval_id = :id AND finished_at IS NULL
            """;

    private final DataApiStatements statements;

    public DataApiExecutionStore(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.statements = new DataApiStatements(rdsData, target, clock, sleeper);
    }

    @Override
    public Claim claim(UUID approvalId, int version, String executor, Instant deadline) {
        List<Row> rows = statements.execute(CLAIM_SQL, CLAIM_COLUMNS, List.of(uuid("id", approvalId),
                SqlParameter.builder().name("version").value(Field.builder().longValue((long) version).build()).build(),
                text("executor", executor)), deadline);
        if (rows.isEmpty()) {
            return new Claim.NotApproved();
        }
        Row row = rows.getFirst();
        if (row.bool("claimed")) {
            return new Claim.Claimed(row.toApproval());
        }
        boolean approvedAtVersion = "approved".equals(row.string("status")) && row.number("version") == version;
        return approvedAtVersion ? new Claim.AlreadyClaimed() : new Claim.NotApproved();
    }

    @Override
    public void finish(UUID approvalId, boolean succeeded, String detail, Instant deadline) {
        statements.count(FINISH_SQL, List.of(uuid("id", approvalId), text("outcome", succeeded ? "succeeded" : "failed"),
                text("detail", detail == null ? null : detail.length() > 200 ? detail.substring(0, 200) : detail)),
                deadline);
    }
}
