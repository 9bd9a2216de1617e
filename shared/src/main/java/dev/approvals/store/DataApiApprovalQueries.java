package dev.approvals.store;

import dev.approvals.core.ApprovalQueries;
import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.ListPosition;
import dev.approvals.core.ListQuery;
import dev.approvals.core.ListedApproval;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.approvals.store.DataApiStatements.number;
import static dev.approvals.store.DataApiStatements.text;
import static dev.approvals.store.DataApiStatements.uuid;

/**
 * Reads and lists approvals on the RDS Data API as the read role, which may only SELECT the columns callers are
 * shown. Expiry is computed by the database ({@code expires_at <= now()}), exactly as the decision statement
 * judges it.
 */
public final class DataApiApprovalQueries implements ApprovalQueries {

    private static final String SELECTED = "expires_at IS NOT NULL AND expires_at <= now() AS expired, "
            + Row.VISIBLE_COLUMNS;

    static final String FIND_SQL = "SELECT " + SELECTED + " FROM ai_approvals WHERE id = :id";
    static final Columns FIND_COLUMNS = Columns.of(SELECTED);

    /**
     * The position travels as whole microseconds since the epoch, computed exactly by the database both ways, so a
     * cursor never depends on how a timestamp is formatted on the way.
     */
    private static final String LIST_SELECT = "SELECT (extract(epoch FROM requested_at) * 1000000)::bigint"
            + " AS position_micros, " + SELECTED + " FROM ai_approvals WHERE true";
    static final Columns LIST_COLUMNS = Columns.of("position_micros", SELECTED);
    private static final String STATUS_FILTER = " AND status = :status";
    private static final String ACTION_TYPE_FILTER = " AND action_type = :actionType";
    private static final String AFTER_POSITION = " AND (requested_at, id) >"
            + " (timestamptz 'epoch' + :afterMicros * interval '1 microsecond', :afterId)";
    private static final String LIST_ORDER = " ORDER BY requested_at, id LIMIT :rows";

    private final DataApiStatements statements;

    public DataApiApprovalQueries(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.statements = new DataApiStatements(rdsData, target, clock, sleeper);
    }

    @Override
    public Optional<ApprovalSnapshot> find(UUID approvalId, Instant deadline) {
        return statements.execute(FIND_SQL, FIND_COLUMNS, List.of(uuid("id", approvalId)), deadline).stream().findFirst()
                .map(DataApiApprovalQueries::snapshot);
    }

    @Override
    public List<ListedApproval> list(ListQuery query, int rows, Instant deadline) {
        List<SqlParameter> parameters = new ArrayList<>();
        parameters.add(number("rows", (long) rows));
        query.status().ifPresent(status -> parameters.add(text("status", status.wireName())));
        query.actionType().ifPresent(type -> parameters.add(text("actionType", type)));
        query.after().ifPresent(after -> {
            parameters.add(number("afterMicros", after.requestedAtMicros()));
            parameters.add(uuid("afterId", after.id()));
        });
        return statements.execute(listSql(query), LIST_COLUMNS, parameters, deadline).stream()
                .map(row -> new ListedApproval(snapshot(row),
                        new ListPosition(row.number("position_micros"), UUID.fromString(row.string("id")))))
                .toList();
    }

    /** The statement for the filters present, assembled from constant parts only: every value is bound. */
    static String listSql(ListQuery query) {
        return LIST_SELECT
                + (query.status().isPresent() ? STATUS_FILTER : "")
                + (query.actionType().isPresent() ? ACTION_TYPE_FILTER : "")
                + (query.after().isPresent() ? AFTER_POSITION : "")
                + LIST_ORDER;
    }

    private static ApprovalSnapshot snapshot(Row row) {
        return new ApprovalSnapshot(row.toApproval(), row.bool("expired"));
    }
}
