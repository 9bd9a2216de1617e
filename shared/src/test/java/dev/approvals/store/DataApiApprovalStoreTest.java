package dev.approvals.store;

import dev.approvals.core.ApprovalStatus;
import dev.approvals.core.Approvals;
import dev.approvals.core.DecisionAttempt;
import dev.approvals.errors.DecisionUnavailableException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseResumingException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseUnavailableException;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static dev.approvals.core.Decision.REJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact request the store sends, and how it reads answers and faults (no database: see the ITs for that). */
class DataApiApprovalStoreTest {

    private static final DatabaseTarget TARGET = new DatabaseTarget(
            "arn:aws:rds:us-east-1:123456789012:cluster:c1", "arn:aws:secretsmanager:us-east-1:123456789012:secret:s1", "approvals");
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    /**
     * The decision statement as docs/design.md §3 specifies it, written out: the update only of a pending, unexpired
     * row at the expected version, its audit row in the same statement, and the current row when it did not win.
     */
    private static final String DECIDE_SQL = """
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
                RETURNING id, status, version, action_type, action_payload, requested_by, requested_at, expires_at, \
            decided_by, decided_at, decision_reason, decision_key, task_token
            ), audit AS (
                INSERT INTO ai_approval_events
                       (approval_id, from_status, to_status, from_version, to_version, actor, reason, decision_key)
                SELECT id, 'pending', status, version - 1, version, decided_by, decision_reason, decision_key
                  FROM decided
            ), decided_event AS (
                INSERT INTO ai_approval_outbox (approval_id, version, kind, status, action_type, action_payload, \
            requested_by, requested_at, expires_at, decided_by, decided_at, decision_reason)
                SELECT id, version, 'ApprovalDecided', status, action_type, action_payload, requested_by, \
            requested_at,
                       expires_at, decided_by, decided_at, decision_reason
                  FROM decided
            )
            SELECT true AS decided, false AS expired, id, status, version, action_type, action_payload, \
            requested_by, requested_at, expires_at, decided_by, decided_at, decision_reason, decision_key, \
            task_token FROM decided
            UNION ALL
            SELECT false, expires_at IS NOT NULL AND expires_at <= now(), id, status, version, action_type, \
            action_payload, requested_by, requested_at, expires_at, decided_by, decided_at, decision_reason, \
            decision_key, task_token
              FROM ai_approvals
             WHERE id = :id AND NOT EXISTS (SELECT 1 FROM decided)
            """;

    private final FakeRdsData rdsData = new FakeRdsData();
    private final List<Duration> sleeps = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final DataApiApprovalStore store = new DataApiApprovalStore(rdsData, TARGET, clock, d -> {
        sleeps.add(d);
        clock.now = clock.now.plus(d);
    });

    @Test
    void decide_sendsOneStatement_withEveryValueBound_andTheIdTypedAsUuid() {
        rdsData.answers.add(() -> response(row(true, false, "rejected", 2)));

        store.decide(Approvals.request(REJECT, 1, "alice", "key-1"), NOW.plusSeconds(20));

        ExecuteStatementRequest sent = rdsData.requests.getFirst();
        assertThat(sent.resourceArn()).isEqualTo(TARGET.clusterArn());
        assertThat(sent.secretArn()).isEqualTo(TARGET.secretArn());
        assertThat(sent.database()).isEqualTo("approvals");
        // The whole call, SDK retries included, ends by the deadline.
        assertThat(sent.overrideConfiguration()).hasValueSatisfying(o ->
                assertThat(o.apiCallTimeout()).contains(Duration.ofSeconds(20)));
        assertThat(sent.sql()).isEqualTo(DECIDE_SQL).doesNotContain("alice", "key-1", Approvals.ID.toString());
        Map<String, SqlParameter> parameters = sent.parameters().stream()
                .collect(Collectors.toMap(SqlParameter::name, p -> p));
        assertThat(parameters.get("id").typeHint()).isEqualTo(TypeHint.UUID);
        assertThat(parameters.get("id").value().stringValue()).isEqualTo(Approvals.ID.toString());
        assertThat(parameters.get("expectedVersion").value().longValue()).isEqualTo(1L);
        assertThat(parameters.get("targetStatus").value().stringValue()).isEqualTo("rejected");
        assertThat(parameters.get("actor").value().stringValue()).isEqualTo("alice");
        assertThat(parameters.get("decisionKey").value().stringValue()).isEqualTo("key-1");
        assertThat(sent.includeResultMetadata()).isFalse();
    }

    @Test
    void nullReason_isBoundAsSqlNull() {
        rdsData.answers.add(() -> response(row(true, false, "approved", 2)));

        store.decide(new dev.approvals.core.DecisionRequest(REJECT, Approvals.ID, 1, "alice", null, "k"), NOW.plusSeconds(20));

        SqlParameter reason = rdsData.requests.getFirst().parameters().stream()
                .filter(p -> p.name().equals("reason")).findFirst().orElseThrow();
        assertThat(reason.value().isNull()).isTrue();
    }

    @Test
    void rowsAreReadByTheirDeclaredPositions_withUtcTimestamps() {
        rdsData.answers.add(() -> response(row(false, true, "pending", 3)));

        DecisionAttempt attempt = store.decide(Approvals.request(REJECT, 1, "alice", "k"), NOW.plusSeconds(20));

        assertThat(attempt).isInstanceOfSatisfying(DecisionAttempt.NotWon.class, notWon -> {
            assertThat(notWon.current().expired()).isTrue();
            assertThat(notWon.current().approval().status()).isEqualTo(ApprovalStatus.PENDING);
            assertThat(notWon.current().approval().version()).isEqualTo(3);
            assertThat(notWon.current().approval().requestedAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00.123456Z"));
            assertThat(notWon.current().approval().decidedBy()).isNull();
        });
    }

    @Test
    void aRowOfAnotherWidthThanDeclared_isAnError_neverReadAskew() {
        List<Field> row = new java.util.ArrayList<>(row(false, false, "pending", 3));
        row.removeLast();
        rdsData.answers.add(() -> ExecuteStatementResponse.builder().records(List.of(row)).build());

        assertThatThrownBy(() -> store.decide(Approvals.request(REJECT, 1, "alice", "k"), NOW.plusSeconds(20)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("14 columns, 15 declared");
    }

    @Test
    void noRows_isMissing() {
        rdsData.answers.add(() -> ExecuteStatementResponse.builder().records(List.of())
                .numberOfRecordsUpdated(0L).build());

        assertThat(store.decide(Approvals.request(REJECT, 1, "alice", "k"), NOW.plusSeconds(20))).isInstanceOf(DecisionAttempt.Missing.class);
    }

    @Test
    void resumingDatabase_isRetriedWithBackoff_untilItAnswers() {
        rdsData.answers.add(FakeRdsData::resuming);
        rdsData.answers.add(FakeRdsData::resuming);
        rdsData.answers.add(FakeRdsData::resuming);
        rdsData.answers.add(() -> response(row(true, false, "rejected", 2)));

        DecisionAttempt attempt = store.decide(Approvals.request(REJECT, 1, "alice", "k"), NOW.plusSeconds(20));

        assertThat(attempt).isInstanceOf(DecisionAttempt.Won.class);
        assertThat(rdsData.requests).hasSize(4);
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void resumingBeyondTheDeadline_isUnavailable_withoutSleepingPastIt() {
        for (int i = 0; i < 50; i++) {
            rdsData.answers.add(FakeRdsData::resuming);
        }

        assertThatThrownBy(() -> store.decide(Approvals.request(REJECT, 1, "alice", "k"), NOW.plusSeconds(20)))
                .isInstanceOfSatisfying(DecisionUnavailableException.class,
                        e -> assertThat(e.retryAfterSeconds()).isPositive());
        assertThat(clock.now).isBefore(NOW.plusSeconds(20));
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isGreaterThan(Duration.ofSeconds(15));
    }

    @Test
    void serverSideFailuresTheSdkAlreadyRetried_areUnavailable() {
        rdsData.answers.add(() -> {
            throw DatabaseUnavailableException.builder().statusCode(504).build();
        });
        assertThatThrownBy(() -> store.decide(Approvals.request(REJECT, 1, "alice", "k"), NOW.plusSeconds(20)))
                .isInstanceOf(DecisionUnavailableException.class);

        rdsData.answers.add(() -> {
            throw SdkClientException.create("Read timed out");
        });
        assertThatThrownBy(() -> store.decide(Approvals.request(REJECT, 1, "alice", "k"), NOW.plusSeconds(20)))
                .isInstanceOf(DecisionUnavailableException.class);
    }

    @Test
    void sqlErrors_areBugs_andPropagateUnchanged() {
        rdsData.answers.add(() -> {
            throw DatabaseErrorException.builder().message("ERROR: boom; SQLState: 42P01").statusCode(400).build();
        });

        assertThatThrownBy(() -> store.decide(Approvals.request(REJECT, 1, "alice", "k"), NOW.plusSeconds(20)))
                .isInstanceOf(DatabaseErrorException.class);
    }

    private static ExecuteStatementResponse response(List<Field> row) {
        // No result metadata, as asked: the columns in the order the SQL selects them.
        assertThat(DataApiApprovalStore.DECIDE_COLUMNS.labels()).containsExactly("decided", "expired", "id", "status",
                "version", "action_type", "action_payload", "requested_by", "requested_at", "expires_at", "decided_by",
                "decided_at", "decision_reason", "decision_key", "task_token");
        return ExecuteStatementResponse.builder().records(List.of(row)).numberOfRecordsUpdated(0L).build();
    }

    private static List<Field> row(boolean decided, boolean expired, String status, long version) {
        Field none = Field.builder().isNull(true).build();
        boolean pending = status.equals("pending");
        return List.of(
                Field.builder().booleanValue(decided).build(),
                Field.builder().booleanValue(expired).build(),
                Field.builder().stringValue(Approvals.ID.toString()).build(),
                Field.builder().stringValue(status).build(),
                Field.builder().longValue(version).build(),
                Field.builder().stringValue("refund").build(),
                Field.builder().stringValue("{\"amount\": 42}").build(),
                Field.builder().stringValue("agent-7").build(),
                Field.builder().stringValue("2026-11-27 10:00:00.123456").build(),
                none,
                pending ? none : Field.builder().stringValue("alice").build(),
                pending ? none : Field.builder().stringValue("2026-11-27 10:01:00").build(),
                none,
                pending ? none : Field.builder().stringValue("k").build(),
                none);
    }

    private static final class FakeRdsData implements RdsDataClient {
        final List<ExecuteStatementRequest> requests = new ArrayList<>();
        final Deque<Supplier<ExecuteStatementResponse>> answers = new ArrayDeque<>();

        static ExecuteStatementResponse resuming() {
            throw DatabaseResumingException.builder().statusCode(400)
                    .message("The Aurora DB instance db-1 is resuming after being auto-paused.").build();
        }

        @Override
        public ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
            requests.add(request);
            return answers.remove().get();
        }

        @Override
        public String serviceName() {
            return "rds-data";
        }

        @Override
        public void close() {
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
