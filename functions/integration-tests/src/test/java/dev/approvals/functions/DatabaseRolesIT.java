package dev.approvals.functions;

import dev.approvals.local.dataapi.DatabaseRoles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Least privilege inside the database: each function's database user (the user its secret names, as the local
 * Data API connects exactly as Aurora's does) is refused every statement outside its grant with PostgreSQL's own
 * {@code permission denied} (or {@code must be owner}, for schema changes): a {@code DatabaseErrorException} with
 * SQLState 42501, and nothing changes. That the
 * grants suffice is shown by every other test here, which runs each handler as its own role.
 */
class DatabaseRolesIT {

    private static LocalApprovals local;
    private static RdsDataClient client;
    private static UUID approval;

    @BeforeAll
    static void start() {
        local = LocalApprovals.create("roles");
        client = local.dataApi.newClient();
        approval = local.seedPending();
        local.update("INSERT INTO ai_approval_events (approval_id, from_status, to_status, from_version, to_version,"
                + " actor) VALUES (?, 'pending', 'pending', 1, 1, 'seed')", approval);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static final String SCHEMA_CHANGES = "CREATE TABLE stolen (id int);"
            + "ALTER TABLE ai_approvals ADD COLUMN owned text;"
            + "DROP TABLE ai_approval_events;"
            + "CREATE TEMP TABLE scratch (id int);"
            + "TRUNCATE ai_approvals CASCADE;"
            + "DELETE FROM ai_approvals;"
            + "UPDATE ai_approval_events SET actor = 'nobody';"
            + "DELETE FROM ai_approval_events;"
            + "SELECT approvals_set_role_password('approvals_reader', 'SCRAM-SHA-256$4096:AAAA$AAAA:AAAA');"
            + "SELECT version, checksum FROM schema_migrations";

    /** What no role may do, and what each role may not do beyond that. */
    static Stream<Arguments> forbidden() {
        Map<String, String> beyond = Map.of(
                DatabaseRoles.READER, "SELECT task_token FROM ai_approvals;"
                        + "SELECT decision_key FROM ai_approvals;"
                        + "SELECT proposal_key FROM ai_approvals;"
                        + "SELECT * FROM ai_approvals;"
                        + "SELECT actor FROM ai_approval_events;"
                        + "INSERT INTO ai_approvals (id, action_type, requested_by) VALUES (gen_random_uuid(), 'x', 'y');"
                        + "UPDATE ai_approvals SET status = 'approved'",
                DatabaseRoles.PROPOSER, "SELECT task_token FROM ai_approvals;"
                        + "SELECT decision_key FROM ai_approvals;"
                        + "UPDATE ai_approvals SET status = 'approved';"
                        + "INSERT INTO ai_approvals (id, action_type, requested_by, status, decided_by, decided_at)"
                        + " VALUES (gen_random_uuid(), 'x', 'y', 'approved', 'me', now());"
                        + "INSERT INTO ai_approvals (id, action_type, requested_by, task_token)"
                        + " VALUES (gen_random_uuid(), 'x', 'y', 'token');"
                        + "INSERT INTO ai_approval_events (approval_id, from_status, to_status, from_version, to_version, actor)"
                        + " SELECT id, 'pending', 'approved', 1, 2, 'me' FROM ai_approvals;"
                        + OUTBOX_WRITER,
                DatabaseRoles.APPROVER, decider(),
                DatabaseRoles.REJECTER, decider(),
                DatabaseRoles.WORKFLOW, "SELECT task_token FROM ai_approvals;"
                        + "SELECT decision_key FROM ai_approvals;"
                        + "SELECT proposal_key FROM ai_approvals;"
                        + "SELECT proposal_hash FROM ai_approvals;"
                        + "SELECT * FROM ai_approvals;"
                        + "SELECT actor FROM ai_approval_events;"
                        + "UPDATE ai_approvals SET action_payload = '{}';"
                        + "UPDATE ai_approvals SET requested_by = 'someone else';"
                        + "UPDATE ai_approvals SET expires_at = NULL;"
                        + "INSERT INTO ai_approvals (id, action_type, requested_by, task_token)"
                        + " VALUES (gen_random_uuid(), 'x', 'y', 'token');"
                        + "INSERT INTO ai_approvals (id, action_type, requested_by, status, decided_by, decided_at)"
                        + " VALUES (gen_random_uuid(), 'x', 'y', 'approved', 'me', now());"
                        + "INSERT INTO ai_approvals (id, action_type, requested_by, proposal_key)"
                        + " VALUES (gen_random_uuid(), 'x', 'y', 'k');"
                        + OUTBOX_WRITER,
                // The outbox function: the outbox only, and of it only published_at to change.
                DatabaseRoles.PUBLISHER, "SELECT id FROM ai_approvals;"
                        + "SELECT actor FROM ai_approval_events;"
                        + "UPDATE ai_approval_outbox SET status = 'approved';"
                        + "UPDATE ai_approval_outbox SET action_payload = '{}';"
                        + "INSERT INTO ai_approval_outbox (approval_id, version, kind, status, action_type,"
                        + " action_payload, requested_by, requested_at) SELECT gen_random_uuid(), 2, 'ApprovalDecided',"
                        + " 'approved', 'x', '{}', 'y', now();"
                        + "DELETE FROM ai_approval_outbox;"
                        + "SELECT approval_id FROM ai_action_executions",
                // The executor: reads what callers are shown, records executions, nothing else.
                DatabaseRoles.EXECUTOR, "SELECT task_token FROM ai_approvals;"
                        + "SELECT decision_key FROM ai_approvals;"
                        + "UPDATE ai_approvals SET status = 'approved';"
                        + "SELECT * FROM ai_approval_outbox;"
                        + "UPDATE ai_approval_outbox SET published_at = now();"
                        + "UPDATE ai_action_executions SET approval_id = gen_random_uuid();"
                        + "UPDATE ai_action_executions SET started_at = now();"
                        + "DELETE FROM ai_action_executions;"
                        + "SELECT executor FROM ai_action_executions");
        return DatabaseRoles.ALL.stream().flatMap(role -> Stream.of((SCHEMA_CHANGES + ";" + beyond.get(role)).split(";"))
                .map(sql -> Arguments.of(role, sql.strip())));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("forbidden")
    void eachRole_isRefusedOutsideItsGrant_withPermissionDenied_42501(String role, String sql) {
        List<Map<String, Object>> before = local.everything();

        assertThatThrownBy(() -> client.executeStatement(b -> b.resourceArn(local.dataApi.clusterArn())
                .secretArn(local.roleSecrets.get(role)).database(local.database).sql(sql)))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("SQLState: 42501")
                .hasMessageMatching("(?s)ERROR: (permission denied|must be owner of table) .*");
        assertThat(local.everything()).isEqualTo(before);
    }

    private static String decider() {
        return "SELECT proposal_hash FROM ai_approvals;"
                + "UPDATE ai_approvals SET action_payload = '{}';"
                + "UPDATE ai_approvals SET requested_by = 'someone else';"
                + "UPDATE ai_approvals SET task_token = 'hijacked';"
                + "INSERT INTO ai_approvals (id, action_type, requested_by) VALUES (gen_random_uuid(), 'x', 'y');"
                + "SELECT actor FROM ai_approval_events;"
                + OUTBOX_WRITER;
    }

    /** The functions that write outbox rows may only add them: not read, mark, or touch executions. */
    private static final String OUTBOX_WRITER = "SELECT kind FROM ai_approval_outbox;"
            + "UPDATE ai_approval_outbox SET published_at = now();"
            + "INSERT INTO ai_approval_outbox (approval_id, version, kind, status, action_type, action_payload,"
            + " requested_by, requested_at, published_at) SELECT gen_random_uuid(), 2, 'ApprovalDecided', 'approved',"
            + " 'x', '{}', 'y', now(), now();"
            + "INSERT INTO ai_action_executions (approval_id, version, action_type, executor)"
            + " SELECT gen_random_uuid(), 2, 'x', 'me'";
}
