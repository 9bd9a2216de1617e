package dev.approvals.store;

import dev.approvals.core.ApprovalEvent;
import dev.approvals.core.EventKind;
import dev.approvals.core.OutboxStore;
import dev.approvals.json.Json;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.approvals.store.DataApiStatements.json;
import static dev.approvals.store.DataApiStatements.number;

/**
 * The outbox on the RDS Data API, as the publisher role (SELECT on the outbox, UPDATE of {@code published_at}, nothing
 * on the approvals). Rows come back in the shape {@link Row#toApproval()} reads, so an event shows the approval exactly
 * as the statement that wrote it returned it.
 */
public final class DataApiOutboxStore implements OutboxStore {

    /** The grace is whole milliseconds, compared with the database's clock like every other deadline. */
    static final String UNPUBLISHED_SQL = """
            SELECT kind, approval_id AS id, status, version, action_type, action_payload, requested_by, requested_at,
                   expires_at, decided_by, decided_at, decision_reason
              FROM ai_approval_outbox
             WHERE published_at IS NULL
               AND created_at <= now() - :graceMillis * interval '1 millisecond'
             ORDER BY created_at, approval_id, version
             LIMIT :limit
            """;

    static final Columns UNPUBLISHED_COLUMNS = Columns.of("kind, approval_id AS id, status, version, action_type,"
            + " action_payload, requested_by, requested_at, expires_at, decided_by, decided_at, decision_reason");

    /** Ids travel as one JSON array of {@code "<approval id>:<version>"} (the Data API binds no arrays). */
    static final String MARK_PUBLISHED_SQL = """
            UPDATE ai_approval_outbox AS outbox
               SET published_at = now()
              FROM (SELECT split_part(event_id, ':', 1)::uuid AS approval_id,
                           split_part(event_id, ':', 2)::integer AS version
                      FROM jsonb_array_elements_text(CAST(:eventIds AS jsonb)) AS event_id) AS sent
             WHERE outbox.approval_id = sent.approval_id
               AND outbox.version = sent.version
               AND outbox.published_at IS NULL
            """;

    private final DataApiStatements statements;

    public DataApiOutboxStore(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.statements = new DataApiStatements(rdsData, target, clock, sleeper);
    }

    @Override
    public List<ApprovalEvent> unpublished(Duration olderThan, int limit, Instant deadline) {
        return statements.execute(UNPUBLISHED_SQL, UNPUBLISHED_COLUMNS, List.of(number("graceMillis", olderThan.toMillis()),
                        number("limit", (long) limit)), deadline)
                .stream().map(row -> new ApprovalEvent(EventKind.fromWireName(row.string("kind")), row.toApproval()))
                .toList();
    }

    @Override
    public int markPublished(List<String> eventIds, Instant deadline) {
        if (eventIds.isEmpty()) {
            return 0;
        }
        return statements.count(MARK_PUBLISHED_SQL, List.of(json("eventIds", Json.write(eventIds))), deadline);
    }
}
