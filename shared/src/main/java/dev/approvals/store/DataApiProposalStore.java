package dev.approvals.store;

import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.EventKind;
import dev.approvals.core.ProposalAttempt;
import dev.approvals.core.ProposalRequest;
import dev.approvals.core.ProposalStore;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.approvals.store.DataApiStatements.json;
import static dev.approvals.store.DataApiStatements.number;
import static dev.approvals.store.DataApiStatements.text;
import static dev.approvals.store.DataApiStatements.uuid;

/**
 * Stores proposals on the RDS Data API as the propose role (or the workflow's), which may only insert approvals and
 * read them back. One statement inserts the approval or, when the caller's idempotency key (or, without a key, the
 * id) is taken, returns the row that took it; a new approval's outbox row (its {@code ApprovalRequested} event,
 * docs/design.md §12) is written by the same statement. A keyless proposal names neither the key nor its hash, which the
 * workflow role may not touch.
 */
public final class DataApiProposalStore implements ProposalStore {

    private static final String COLUMNS = "expires_at IS NOT NULL AND expires_at <= now() AS expired, "
            + Row.VISIBLE_COLUMNS;
    private static final String KEYED_COLUMNS = COLUMNS + ", proposal_hash";
    /** The deadline is bound as whole microseconds since the epoch (PostgreSQL's precision), converted exactly. */
    private static final String EXPIRES_AT = "timestamptz 'epoch' + :expiresAtMicros * interval '1 microsecond'";

    /**
     * {@code ON CONFLICT DO NOTHING} waits for a concurrent insert of the same key and then inserts nothing; the
     * second SELECT returns the row that holds the key, when this statement's snapshot can see it.
     */
    static final String PROPOSE_SQL = """
            WITH proposed AS (
                INSERT INTO ai_approvals (id, action_type, action_payload, requested_by, expires_at, proposal_key,
                                          proposal_hash)
                VALUES (:id, :actionType, :actionPayload, :requestedBy, %2$s, :proposalKey, :proposalHash)
                ON CONFLICT (requested_by, proposal_key) WHERE proposal_key IS NOT NULL DO NOTHING
                RETURNING %1$s
            )%3$s
            SELECT true AS created, %1$s FROM proposed
            UNION ALL
            SELECT false, %1$s
              FROM ai_approvals
             WHERE requested_by = :requestedBy AND proposal_key = :proposalKey
               AND NOT EXISTS (SELECT 1 FROM proposed)
            """.formatted(KEYED_COLUMNS, EXPIRES_AT, OutboxSql.insertFrom("proposed", EventKind.REQUESTED));
    static final Columns PROPOSE_COLUMNS = Columns.of("created", KEYED_COLUMNS);

    /** The same without a key: the id identifies the proposal (a workflow's retried step sends the same one). */
    static final String PROPOSE_BY_ID_SQL = """
            WITH proposed AS (
                INSERT INTO ai_approvals (id, action_type, action_payload, requested_by, expires_at)
                VALUES (:id, :actionType, :actionPayload, :requestedBy, %2$s)
                ON CONFLICT (id) DO NOTHING
                RETURNING %1$s
            )%3$s
            SELECT true AS created, %1$s FROM proposed
            UNION ALL
            SELECT false, %1$s
              FROM ai_approvals
             WHERE id = :id AND requested_by = :requestedBy
               AND NOT EXISTS (SELECT 1 FROM proposed)
            """.formatted(COLUMNS, EXPIRES_AT, OutboxSql.insertFrom("proposed", EventKind.REQUESTED));
    static final Columns PROPOSE_BY_ID_COLUMNS = Columns.of("created", COLUMNS);

    static final String FIND_BY_KEY_SQL = "SELECT " + KEYED_COLUMNS
            + " FROM ai_approvals WHERE requested_by = :requestedBy AND proposal_key = :proposalKey";
    static final Columns FIND_BY_KEY_COLUMNS = Columns.of(KEYED_COLUMNS);

    static final String FIND_BY_ID_SQL = "SELECT " + COLUMNS
            + " FROM ai_approvals WHERE id = :id AND requested_by = :requestedBy";
    static final Columns FIND_BY_ID_COLUMNS = Columns.of(COLUMNS);

    private final DataApiStatements statements;

    public DataApiProposalStore(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.statements = new DataApiStatements(rdsData, target, clock, sleeper);
    }

    @Override
    public ProposalAttempt propose(UUID id, ProposalRequest request, Instant deadline) {
        Instant expiresAt = request.expiresAt();
        List<SqlParameter> parameters = new ArrayList<>(List.of(
                uuid("id", id),
                text("actionType", request.actionType()),
                json("actionPayload", request.actionPayloadJson()),
                text("requestedBy", request.requestedBy()),
                number("expiresAtMicros", expiresAt == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, expiresAt))));
        if (keyed(request)) {
            parameters.add(text("proposalKey", request.idempotencyKey()));
            parameters.add(text("proposalHash", request.requestHash()));
        }
        List<Row> rows = statements.execute(keyed(request) ? PROPOSE_SQL : PROPOSE_BY_ID_SQL,
                keyed(request) ? PROPOSE_COLUMNS : PROPOSE_BY_ID_COLUMNS, parameters, deadline);
        if (rows.isEmpty()) {
            return new ProposalAttempt.Unseen();
        }
        Row row = rows.getFirst();
        return row.bool("created") ? new ProposalAttempt.Created(snapshot(row)) : existing(row, request);
    }

    @Override
    public Optional<ProposalAttempt.Existing> findExisting(UUID id, ProposalRequest request, Instant deadline) {
        List<Row> rows = keyed(request)
                ? statements.execute(FIND_BY_KEY_SQL, FIND_BY_KEY_COLUMNS, List.of(text("requestedBy", request.requestedBy()),
                        text("proposalKey", request.idempotencyKey())), deadline)
                : statements.execute(FIND_BY_ID_SQL, FIND_BY_ID_COLUMNS, List.of(uuid("id", id),
                        text("requestedBy", request.requestedBy())), deadline);
        return rows.stream().findFirst().map(row -> existing(row, request));
    }

    private static boolean keyed(ProposalRequest request) {
        return request.idempotencyKey() != null;
    }

    private static ProposalAttempt.Existing existing(Row row, ProposalRequest request) {
        return new ProposalAttempt.Existing(snapshot(row), keyed(request) ? row.string("proposal_hash") : null);
    }

    private static ApprovalSnapshot snapshot(Row row) {
        return new ApprovalSnapshot(row.toApproval(), row.bool("expired"));
    }
}
