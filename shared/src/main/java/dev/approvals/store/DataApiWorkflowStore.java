package dev.approvals.store;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.Proposal;
import dev.approvals.core.WorkflowStore;
import dev.approvals.store.DataApiApprovalStore.Row;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import static dev.approvals.store.DataApiApprovalStore.text;
import static dev.approvals.store.DataApiApprovalStore.uuid;

/**
 * The workflow's statements on the RDS Data API, sent through the decision store's retrying call. Nothing here
 * selects or returns {@code task_token} or {@code decision_key}: the workflow's database role needs no right to read
 * them (docs/workflows.md, "Database privileges").
 */
public final class DataApiWorkflowStore implements WorkflowStore {

    /** The columns an answer shows; the token and key are never read, so they are null in what this returns. */
    private static final String SHOWN = "id, status, version, action_type, action_payload, requested_by,"
            + " requested_at, expires_at, decided_by, decided_at, decision_reason";
    private static final String UNREAD = "NULL::text AS decision_key, NULL::text AS task_token";

    static final String PROPOSE_SQL = """
            INSERT INTO ai_approvals (id, action_type, action_payload, requested_by, expires_at)
            VALUES (:id, :actionType, :actionPayload, :requestedBy, now() + make_interval(secs => :timeoutSeconds))
            ON CONFLICT (id) DO NOTHING
            """;

    /** The deadline is the database's: a token is never stored for an approval nobody may decide any more. */
    static final String ATTACH_TOKEN_SQL = """
            UPDATE ai_approvals
               SET task_token = :taskToken, updated_at = now()
             WHERE id = :id AND status = 'pending' AND (expires_at IS NULL OR expires_at > now())
            """;

    /**
     * The expiry and its audit event in one statement. It returns only the row it updated: when it matched nothing,
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
            )
            SELECT %1$s, %2$s FROM expired
            """.formatted(SHOWN, UNREAD);

    static final String READ_SQL = """
            SELECT expires_at IS NOT NULL AND expires_at <= now() AS expired, %s, %s
              FROM ai_approvals
             WHERE id = :id
            """.formatted(SHOWN, UNREAD);

    /** What the expiry records as the reason. */
    static final String EXPIRY_REASON = "No decision before the deadline";

    private final DataApiApprovalStore statements;

    /** @param statements the decision store on the same database, whose retrying call this store sends through */
    public DataApiWorkflowStore(DataApiApprovalStore statements) {
        this.statements = Objects.requireNonNull(statements, "statements");
    }

    @Override
    public boolean propose(Proposal proposal, Instant deadline) {
        List<SqlParameter> parameters = List.of(
                uuid("id", proposal.id()),
                text("actionType", proposal.actionType()),
                SqlParameter.builder().name("actionPayload").typeHint(TypeHint.JSON)
                        .value(Field.builder().stringValue(proposal.actionPayloadJson()).build()).build(),
                text("requestedBy", proposal.requestedBy()),
                SqlParameter.builder().name("timeoutSeconds")
                        .value(Field.builder().longValue((long) proposal.timeoutSeconds()).build()).build());
        return updated(statements.call(PROPOSE_SQL, parameters, deadline).numberOfRecordsUpdated());
    }

    @Override
    public boolean attachTaskToken(UUID approvalId, String taskToken, Instant deadline) {
        List<SqlParameter> parameters = List.of(uuid("id", approvalId), text("taskToken", taskToken));
        return updated(statements.call(ATTACH_TOKEN_SQL, parameters, deadline).numberOfRecordsUpdated());
    }

    @Override
    public Optional<Approval> expire(UUID approvalId, String actor, String decisionKey, Instant deadline) {
        List<SqlParameter> parameters = List.of(uuid("id", approvalId), text("actor", actor),
                text("reason", EXPIRY_REASON), text("decisionKey", decisionKey));
        return Row.all(statements.call(EXPIRE_SQL, parameters, deadline)).stream().findFirst().map(Row::toApproval);
    }

    @Override
    public Optional<ApprovalSnapshot> read(UUID approvalId, Instant deadline) {
        return Row.all(statements.call(READ_SQL, List.of(uuid("id", approvalId)), deadline)).stream().findFirst()
                .map(row -> new ApprovalSnapshot(row.toApproval(), row.bool("expired")));
    }

    private static boolean updated(Long count) {
        return count != null && count == 1;
    }
}
