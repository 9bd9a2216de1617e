package dev.approvals.store;

import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.ProposalAttempt;
import dev.approvals.core.ProposalRequest;
import dev.approvals.core.ProposalStore;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.approvals.store.DataApiStatements.json;
import static dev.approvals.store.DataApiStatements.number;
import static dev.approvals.store.DataApiStatements.text;
import static dev.approvals.store.DataApiStatements.uuid;

/**
 * Stores proposals on the RDS Data API as the propose role, which may only insert approvals and read them back.
 * One statement inserts the approval or, when the caller's idempotency key is taken, returns the row that took it.
 */
public final class DataApiProposalStore implements ProposalStore {

    private static final String COLUMNS = "expires_at IS NOT NULL AND expires_at <= now() AS expired, "
            + Row.VISIBLE_COLUMNS + ", proposal_hash";

    /**
     * {@code ON CONFLICT DO NOTHING} waits for a concurrent insert of the same key and then inserts nothing; the
     * second SELECT returns the row that holds the key, when this statement's snapshot can see it. The deadline is
     * bound as whole microseconds since the epoch (PostgreSQL's precision), converted exactly by the database.
     */
    static final String PROPOSE_SQL = """
            WITH proposed AS (
                INSERT INTO ai_approvals (id, action_type, action_payload, requested_by, expires_at, proposal_key,
                                          proposal_hash)
                VALUES (:id, :actionType, :actionPayload, :requestedBy,
                        timestamptz 'epoch' + :expiresAtMicros * interval '1 microsecond', :proposalKey, :proposalHash)
                ON CONFLICT (requested_by, proposal_key) WHERE proposal_key IS NOT NULL DO NOTHING
                RETURNING %1$s
            )
            SELECT true AS created, %1$s FROM proposed
            UNION ALL
            SELECT false, %1$s
              FROM ai_approvals
             WHERE requested_by = :requestedBy AND proposal_key = :proposalKey
               AND NOT EXISTS (SELECT 1 FROM proposed)
            """.formatted(COLUMNS);

    static final String FIND_BY_KEY_SQL = "SELECT " + COLUMNS
            + " FROM ai_approvals WHERE requested_by = :requestedBy AND proposal_key = :proposalKey";

    private final DataApiStatements statements;

    public DataApiProposalStore(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.statements = new DataApiStatements(rdsData, target, clock, sleeper);
    }

    @Override
    public ProposalAttempt propose(UUID id, ProposalRequest request, Instant deadline) {
        Instant expiresAt = request.expiresAt();
        List<Row> rows = statements.execute(PROPOSE_SQL, List.of(
                uuid("id", id),
                text("actionType", request.actionType()),
                json("actionPayload", request.actionPayloadJson()),
                text("requestedBy", request.requestedBy()),
                number("expiresAtMicros", expiresAt == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, expiresAt)),
                text("proposalKey", request.idempotencyKey()),
                text("proposalHash", request.requestHash())), deadline);
        if (rows.isEmpty()) {
            return new ProposalAttempt.Unseen();
        }
        Row row = rows.getFirst();
        return row.bool("created") ? new ProposalAttempt.Created(snapshot(row)) : existing(row);
    }

    @Override
    public Optional<ProposalAttempt.Existing> findByKey(String requestedBy, String idempotencyKey, Instant deadline) {
        return statements.execute(FIND_BY_KEY_SQL, List.of(text("requestedBy", requestedBy),
                text("proposalKey", idempotencyKey)), deadline).stream().findFirst().map(DataApiProposalStore::existing);
    }

    private static ProposalAttempt.Existing existing(Row row) {
        return new ProposalAttempt.Existing(snapshot(row), row.string("proposal_hash"));
    }

    private static ApprovalSnapshot snapshot(Row row) {
        return new ApprovalSnapshot(row.toApproval(), row.bool("expired"));
    }
}
