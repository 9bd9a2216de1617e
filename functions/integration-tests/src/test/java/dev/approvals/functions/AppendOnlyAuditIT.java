package dev.approvals.functions;

import dev.approvals.core.Decision;
import dev.approvals.local.dataapi.DatabaseRoles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit table {@code ai_approval_events} is append-only (db/migrations/V6): no application role holds a right
 * to change or remove its rows, and a trigger refuses UPDATE, DELETE and TRUNCATE even from the table's owner (the
 * migrating master user). Every statement goes through the local Data API with the unmodified SDK client, as the
 * role of the secret it names, exactly as a function (or someone holding its secret) would send it.
 */
class AppendOnlyAuditIT {

    private static LocalApprovals local;
    private static RdsDataClient client;
    private static UUID decided;

    /** Ways to change or remove audit rows; {@code :id} is an approval with an audit row. */
    private static final List<String> CHANGES = List.of(
            "UPDATE ai_approval_events SET actor = 'nobody' WHERE approval_id = :id::uuid",
            "UPDATE ai_approval_events SET reason = 'rewritten', to_status = 'rejected'",
            "DELETE FROM ai_approval_events WHERE approval_id = :id::uuid",
            "DELETE FROM ai_approval_events",
            "TRUNCATE ai_approval_events",
            "MERGE INTO ai_approval_events e USING (SELECT :id::uuid AS id) s ON e.approval_id = s.id"
                    + " WHEN MATCHED THEN DELETE");

    @BeforeAll
    static void start() {
        local = LocalApprovals.create("audit");
        client = local.dataApi.newClient();
        decided = local.seedPending();
        Answer answer = Answer.invoke(local.reject,
                Shape.HTTP_API.event(Decision.REJECT, decided, 1, "audit-" + decided).bytes());
        assertThat(answer.status()).as("the reject answer: %s", answer.raw()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    static Stream<Arguments> everyRoleAndChange() {
        return DatabaseRoles.ALL.stream().flatMap(role -> CHANGES.stream().map(sql -> Arguments.of(role, sql)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyRoleAndChange")
    void everyApplicationRole_isRefusedAnyChangeToAuditRows_andTheRowsStayAsTheyWere(String role, String sql) {
        List<Map<String, Object>> before = local.everything();

        assertThatThrownBy(() -> execute(local.roleSecrets.get(role), sql))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("SQLState: 42501")
                .hasMessageContaining("permission denied for table ai_approval_events");
        assertThat(local.everything()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void evenTheOwner_theMigratingMasterUser_isRefusedByTheTrigger_andTheRowsStayAsTheyWere(String sql) {
        List<Map<String, Object>> before = local.everything();

        assertThatThrownBy(() -> execute(local.dataApi.secretArn(), sql))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("SQLState: 42501")
                .hasMessageMatching("(?s).*ai_approval_events is append-only: (UPDATE|DELETE|TRUNCATE) refused.*");
        assertThat(local.everything()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "UPDATE ai_approval_events SET actor = 'nobody' WHERE false",
            "DELETE FROM ai_approval_events WHERE approval_id = '00000000-0000-0000-0000-000000000000'"})
    void aChangeMatchingNoRow_isRefusedAsWell_beforeAnyRowIsLookedAt(String sql) {
        assertThatThrownBy(() -> execute(local.dataApi.secretArn(), sql))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("is append-only");
    }

    @Test
    void noApplicationRole_holdsUpdateDeleteTruncateOrTrigger_onTheTable_orUpdateOnAnyColumn() {
        for (String role : DatabaseRoles.ALL) {
            List<Map<String, Object>> rights = local.query("""
                    SELECT has_table_privilege(?, 'ai_approval_events', 'UPDATE') AS "update",
                           has_table_privilege(?, 'ai_approval_events', 'DELETE') AS "delete",
                           has_table_privilege(?, 'ai_approval_events', 'TRUNCATE') AS "truncate",
                           has_table_privilege(?, 'ai_approval_events', 'TRIGGER') AS "trigger",
                           has_any_column_privilege(?, 'ai_approval_events', 'UPDATE') AS "update any column",
                           pg_has_role(?, (SELECT tableowner FROM pg_tables
                                           WHERE tablename = 'ai_approval_events'), 'USAGE') AS "owner"
                    """, role, role, role, role, role, role);
            assertThat(rights.getFirst()).as(role).containsOnly(Map.entry("update", false),
                    Map.entry("delete", false), Map.entry("truncate", false), Map.entry("trigger", false),
                    Map.entry("update any column", false), Map.entry("owner", false));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Decision.class)
    void theDecisionPath_stillWritesItsAuditRow(Decision decision) {
        UUID id = local.seedPending();

        Answer answer = Answer.invoke(local.handler(decision),
                Shape.HTTP_API.event(decision, id, 1, "audit-" + id).bytes());

        assertThat(answer.status()).as("the answer: %s", answer.raw()).isEqualTo(200);
        assertThat(local.events(id)).singleElement().satisfies(event -> assertThat(event)
                .containsEntry("from_version", 1).containsEntry("to_version", 2)
                .containsEntry("to_status", decision == Decision.APPROVE ? "approved" : "rejected")
                .containsEntry("actor", Shape.HTTP_API.actor()));
    }

    @Test
    void theLocalSeeder_asTheOwner_liftsTheTriggerOnlyInsideItsOwnTransaction() {
        UUID id = local.seedPending();
        Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "reseed-" + id).bytes());
        assertThat(local.events(id)).hasSize(1);

        local.seedPending(id);

        assertThat(local.row(id)).containsEntry("status", "pending").containsEntry("version", 1);
        assertThat(local.events(id)).isEmpty();
        assertThat(local.query("SELECT tgenabled FROM pg_trigger WHERE tgname = 'ai_approval_events_append_only'"))
                .as("enabled again (O: origin and local)").containsExactly(Map.of("tgenabled", "O"));
        assertThatThrownBy(() -> execute(local.dataApi.secretArn(), "DELETE FROM ai_approval_events"))
                .hasMessageContaining("is append-only");
    }

    static Stream<String> changes() {
        return CHANGES.stream();
    }

    private static void execute(String secretArn, String sql) {
        client.executeStatement(b -> b.resourceArn(local.dataApi.clusterArn()).secretArn(secretArn)
                .database(local.database).sql(sql)
                .parameters(sql.contains(":id") ? List.of(SqlParameter.builder().name("id").value(v -> v.stringValue(decided.toString())).build()) : List.of()));
    }
}
