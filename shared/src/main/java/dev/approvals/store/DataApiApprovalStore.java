package dev.approvals.store;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.ApprovalStatus;
import dev.approvals.core.ApprovalStore;
import dev.approvals.core.DecisionAttempt;
import dev.approvals.core.DecisionRequest;
import dev.approvals.errors.DecisionUnavailableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ColumnMetadata;
import software.amazon.awssdk.services.rdsdata.model.DatabaseResumingException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseUnavailableException;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.InternalServerErrorException;
import software.amazon.awssdk.services.rdsdata.model.ServiceUnavailableErrorException;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.StatementTimeoutException;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The approval store on the RDS Data API: one {@code ExecuteStatement} per call, parameters always bound.
 *
 * <p>Aurora Serverless v2 answers {@code DatabaseResumingException} while it wakes from auto-pause; the SDK
 * does not retry that (it is a 400), so this class does, with backoff, until the caller's deadline. Errors the
 * SDK already retried (5xx, I/O) and statement timeouts become {@link DecisionUnavailableException}; anything
 * else (a SQL error, a permission problem) is a bug or a misconfiguration and propagates unchanged.
 */
public final class DataApiApprovalStore implements ApprovalStore {

    /** Every column an answer needs, in one place so the decision and the re-read return the same shape. */
    private static final String COLUMNS =
            "id, status, version, action_type, action_payload, requested_by, requested_at, expires_at,"
            + " decided_by, decided_at, decision_reason, decision_key, task_token";

    /**
     * Update, audit insert and current-row read in one statement (docs/design.md §3). All parts share one snapshot:
     * when the update matches nothing, the last SELECT returns the row as it was, with {@code decided = false}.
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
                RETURNING %1$s
            ), audit AS (
                INSERT INTO ai_approval_events
                       (approval_id, from_status, to_status, from_version, to_version, actor, reason, decision_key)
                SELECT id, 'pending', status, version - 1, version, decided_by, decision_reason, decision_key
                  FROM decided
            )
            SELECT true AS decided, false AS expired, %1$s FROM decided
            UNION ALL
            SELECT false, expires_at IS NOT NULL AND expires_at <= now(), %1$s
              FROM ai_approvals
             WHERE id = :id AND NOT EXISTS (SELECT 1 FROM decided)
            """.formatted(COLUMNS);

    static final String READ_SQL = """
            SELECT false AS decided, expires_at IS NOT NULL AND expires_at <= now() AS expired, %s
              FROM ai_approvals
             WHERE id = :id
            """.formatted(COLUMNS);

    /** Data API timestamps: UTC wall-clock time, fraction optional and of variable length. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private static final Duration FIRST_RESUME_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_RESUME_BACKOFF = Duration.ofSeconds(4);
    static final int RETRY_AFTER_SECONDS = 5;

    private final RdsDataClient rdsData;
    private final DatabaseTarget target;
    private final Clock clock;
    private final Sleeper sleeper;

    public DataApiApprovalStore(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.rdsData = Objects.requireNonNull(rdsData, "rdsData");
        this.target = Objects.requireNonNull(target, "target");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
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
        List<Row> rows = execute(DECIDE_SQL, parameters, deadline);
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
        List<Row> rows = execute(READ_SQL, List.of(uuid("id", approvalId)), deadline);
        return rows.stream().findFirst().map(row -> new ApprovalSnapshot(row.toApproval(), row.bool("expired")));
    }

    private List<Row> execute(String sql, List<SqlParameter> parameters, Instant deadline) {
        return Row.all(call(sql, parameters, deadline));
    }

    /** One statement, retried while Aurora resumes; the other store on this database shares it. */
    ExecuteStatementResponse call(String sql, List<SqlParameter> parameters, Instant deadline) {
        ExecuteStatementRequest request = ExecuteStatementRequest.builder()
                .resourceArn(target.clusterArn())
                .secretArn(target.secretArn())
                .database(target.database())
                .sql(sql)
                .parameters(parameters)
                .includeResultMetadata(true)
                .build();
        Duration backoff = FIRST_RESUME_BACKOFF;
        while (true) {
            try {
                return rdsData.executeStatement(request);
            } catch (DatabaseResumingException resuming) {
                // Aurora is waking up (typically 10-30 s); each call fails at once, so wait and ask again.
                Instant next = clock.instant().plus(backoff);
                if (!next.isBefore(deadline)) {
                    throw new DecisionUnavailableException(
                            "The database is resuming from auto-pause; retry shortly", RETRY_AFTER_SECONDS);
                }
                sleeper.sleep(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_RESUME_BACKOFF);
            } catch (DatabaseUnavailableException | ServiceUnavailableErrorException | InternalServerErrorException
                     | StatementTimeoutException unavailable) {
                throw new DecisionUnavailableException("The database is unavailable; retry shortly",
                        RETRY_AFTER_SECONDS);
            } catch (SdkClientException io) {
                throw new DecisionUnavailableException("The database could not be reached; retry shortly",
                        RETRY_AFTER_SECONDS);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static SqlParameter uuid(String name, UUID value) {
        return SqlParameter.builder().name(name).typeHint(TypeHint.UUID)
                .value(Field.builder().stringValue(value.toString()).build()).build();
    }

    static SqlParameter text(String name, String value) {
        Field field = value == null
                ? Field.builder().isNull(true).build()
                : Field.builder().stringValue(value).build();
        return SqlParameter.builder().name(name).value(field).build();
    }

    /** One result row, read by column label so the SQL can change shape without silent mix-ups. */
    record Row(Map<String, Field> fields) {

        static List<Row> all(ExecuteStatementResponse response) {
            List<ColumnMetadata> columns = response.columnMetadata();
            return response.records().stream().map(record -> {
                Map<String, Field> byLabel = new HashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    byLabel.put(columns.get(i).label(), record.get(i));
                }
                return new Row(byLabel);
            }).toList();
        }

        Approval toApproval() {
            return new Approval(
                    UUID.fromString(string("id")),
                    ApprovalStatus.fromWireName(string("status")),
                    Math.toIntExact(field("version").longValue()),
                    string("action_type"),
                    string("action_payload"),
                    string("requested_by"),
                    instant("requested_at"),
                    instant("expires_at"),
                    string("decided_by"),
                    instant("decided_at"),
                    string("decision_reason"),
                    string("decision_key"),
                    string("task_token"));
        }

        boolean bool(String label) {
            return field(label).booleanValue();
        }

        private String string(String label) {
            Field field = field(label);
            return Boolean.TRUE.equals(field.isNull()) ? null : field.stringValue();
        }

        private Instant instant(String label) {
            String text = string(label);
            return text == null ? null : LocalDateTime.parse(text, TIMESTAMP).toInstant(ZoneOffset.UTC);
        }

        private Field field(String label) {
            Field field = fields.get(label);
            if (field == null) {
                throw new IllegalStateException("Column " + label + " missing from the result");
            }
            return field;
        }
    }
}
