package dev.approvals.local.template;

import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every SQL statement of statemachine/approval-flow.asl.json runs against the local Data API with exactly the
 * parameters the state machine would send: each task's ASL Parameters are resolved against the state a real
 * execution has at that point (JSONPath into the input, $$ into the context object) and sent with the SDK, as
 * the state machine's own database role (its secret names approvals_workflow): the role's grants must suffice.
 */
class StateMachineSqlIT {

    private static final String DEFINITION = "statemachine/approval-flow.asl.json";

    private static Map<String, Object> states;
    private static LocalDataApi dataApi;
    private static String database;
    private static RdsDataClient rdsData;
    private static String workflowSecret;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        Map<String, Object> asl = new Yaml().load(Files.readString(Repository.root().resolve(DEFINITION)));
        states = (Map<String, Object>) asl.get("States");
        dataApi = LocalDataApi.shared();
        database = dataApi.createDatabase("asl");
        dataApi.migrate(database);
        workflowSecret = DatabaseRoles.registerAll(dataApi, database).get(DatabaseRoles.WORKFLOW);
        rdsData = dataApi.newClient();
    }

    @Test
    void everyDataApiTaskOfTheDefinitionIsCoveredHere() {
        List<String> dataApiTasks = states.entrySet().stream()
                .filter(e -> String.valueOf(map(e.getValue()).get("Resource")).contains(":aws-sdk:rdsdata:"))
                .map(Map.Entry::getKey).toList();

        assertThat(dataApiTasks).containsExactlyInAnyOrder("WaitForHumanDecision", "ExpireApproval", "RecordApproval");
    }

    @Test
    void waitForHumanDecision_recordsThePendingApprovalWithItsTaskToken_andARetryOnlyRefreshesTheToken() throws Exception {
        Map<String, Object> state = executionState(3600);
        UUID id = approvalId(state);

        run("WaitForHumanDecision", state, context("token-1"));
        run("WaitForHumanDecision", state, context("token-2"));

        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("status", "pending").containsEntry("version", 1)
                .containsEntry("task_token", "token-2").containsEntry("action_type", "refund")
                .containsEntry("requested_by", "agent-7");
        assertThat(row.get("action_payload").toString()).contains("\"amount\": 42");
        java.time.Instant expiresAt = ((java.sql.Timestamp) row.get("expires_at")).toInstant();
        assertThat(Duration.between(java.time.Instant.now(), expiresAt).toMinutes()).isBetween(55L, 60L);
    }

    @Test
    void expireApproval_expiresAStillPendingApproval_once_withAnAuditRow() throws Exception {
        Map<String, Object> state = executionState(3600);
        UUID id = approvalId(state);
        run("WaitForHumanDecision", state, context("token-3"));

        ExecuteStatementResponse first = run("ExpireApproval", state, context(null));
        ExecuteStatementResponse retry = run("ExpireApproval", state, context(null));

        assertThat(resultSelectorStatus(first)).isEqualTo("expired");
        assertThat(resultSelectorStatus(retry)).isEqualTo("expired");
        assertThat(row(id)).containsEntry("status", "expired").containsEntry("version", 2)
                .containsEntry("decided_by", "workflow:approval-timeout");
        assertThat(query("SELECT to_status, to_version FROM ai_approval_events WHERE approval_id = ?", id))
                .containsExactly(Map.of("to_status", "expired", "to_version", 2));
    }

    @Test
    void expireApproval_neverOverwritesADecisionThatRacedIn_andReportsIt() throws Exception {
        Map<String, Object> state = executionState(3600);
        UUID id = approvalId(state);
        run("WaitForHumanDecision", state, context("token-4"));
        update("UPDATE ai_approvals SET status = 'approved', version = 2, decided_by = 'alice', decided_at = now() "
                + "WHERE id = ?", id);

        ExecuteStatementResponse answer = run("ExpireApproval", state, context(null));

        assertThat(resultSelectorStatus(answer)).isEqualTo("approved");
        assertThat(row(id)).containsEntry("status", "approved").containsEntry("version", 2).containsEntry("decided_by", "alice");
        assertThat(query("SELECT id FROM ai_approval_events WHERE approval_id = ?", id)).isEmpty();
    }

    @Test
    void recordApproval_storesItWithoutAToken_andIsIdempotent() throws Exception {
        Map<String, Object> state = executionState(600);
        UUID id = approvalId(state);

        run("RecordApproval", state, context(null));
        run("RecordApproval", state, context(null));

        assertThat(row(id)).containsEntry("status", "pending").containsEntry("version", 1)
                .containsEntry("task_token", null).containsEntry("expires_at", null);
    }

    // --- the state machine's side ---------------------------------------------------------------------------------

    /** The state after PrepareApproval, as its Parameters build it from an execution input. */
    private static Map<String, Object> executionState(int timeoutSeconds) {
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("id", UUID.randomUUID().toString());                 // States.UUID()
        approval.put("actionType", "refund");
        approval.put("actionPayload", "{\"amount\": 42, \"currency\": \"EUR\"}"); // States.JsonToString($.actionPayload)
        approval.put("requestedBy", "agent-7");
        approval.put("timeoutSeconds", timeoutSeconds);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("actionType", "refund");
        state.put("requestedBy", "agent-7");
        state.put("timeoutSeconds", timeoutSeconds);
        state.put("autoApprove", false);
        state.put("approval", approval);
        return state;
    }

    private static Map<String, Object> context(String taskToken) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("Execution", Map.of("Id", "arn:aws:states:us-east-1:123456789012:execution:ApprovalFlow:" + UUID.randomUUID()));
        if (taskToken != null) {
            context.put("Task", Map.of("Token", taskToken));
        }
        return context;
    }

    /** Sends a task's ExecuteStatement as Step Functions' aws-sdk integration would (PascalCase API members). */
    private static ExecuteStatementResponse run(String stateName, Map<String, Object> state, Map<String, Object> context) {
        Map<String, Object> parameters = map(map(states.get(stateName)).get("Parameters"));
        Map<String, String> substitutions = Map.of("${DatabaseClusterArn}", dataApi.clusterArn(),
                "${DatabaseSecretArn}", workflowSecret, "${DatabaseName}", database);
        List<SqlParameter> sqlParameters = new ArrayList<>();
        for (Object item : (List<?>) parameters.get("Parameters")) {
            Map<String, Object> parameter = map(item);
            Map<String, Object> value = map(parameter.get("Value"));
            Field.Builder field = Field.builder();
            value.forEach((member, raw) -> {
                Object resolved = member.endsWith(".$") ? path((String) raw, state, context) : raw;
                switch (member.replace(".$", "")) {
                    case "StringValue" -> field.stringValue((String) resolved);
                    case "LongValue" -> field.longValue(((Number) resolved).longValue());
                    case "BooleanValue" -> field.booleanValue((Boolean) resolved);
                    case "IsNull" -> field.isNull((Boolean) resolved);
                    default -> throw new AssertionError("Unexpected Field member " + member);
                }
            });
            sqlParameters.add(SqlParameter.builder().name((String) parameter.get("Name"))
                    .typeHint((String) parameter.get("TypeHint")).value(field.build()).build());
        }
        return rdsData.executeStatement(ExecuteStatementRequest.builder()
                .resourceArn(substitutions.get((String) parameters.get("ResourceArn")))
                .secretArn(substitutions.get((String) parameters.get("SecretArn")))
                .database(substitutions.get((String) parameters.get("Database")))
                .sql((String) parameters.get("Sql"))
                .parameters(sqlParameters)
                .build());
    }

    /** ExpireApproval's ResultSelector: {@code $.Records[0][0].StringValue}. */
    private static String resultSelectorStatus(ExecuteStatementResponse response) {
        assertThat(map(map(states.get("ExpireApproval")).get("ResultSelector")))
                .containsEntry("status.$", "$.Records[0][0].StringValue");
        return response.records().getFirst().getFirst().stringValue();
    }

    /** The JSONPath forms the definition uses: {@code $.a.b} into the state, {@code $$.A.B} into the context. */
    private static Object path(String expression, Map<String, Object> state, Map<String, Object> context) {
        Object current = expression.startsWith("$$.") ? context : state;
        for (String name : expression.replaceFirst("^\\$\\$?\\.", "").split("\\.")) {
            current = map(current).get(name);
        }
        assertThat(current).as("%s resolves", expression).isNotNull();
        return current;
    }

    // --- the database's side --------------------------------------------------------------------------------------

    private static UUID approvalId(Map<String, Object> state) {
        return UUID.fromString((String) map(state.get("approval")).get("id"));
    }

    private static Map<String, Object> row(UUID id) throws Exception {
        List<Map<String, Object>> rows = query("SELECT * FROM ai_approvals WHERE id = ?", id);
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) throws Exception {
        try (Connection connection = dataApi.dataSource(database).getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new java.util.HashMap<>();
                    for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                        Object value = rs.getObject(c);
                        row.put(rs.getMetaData().getColumnLabel(c), value);
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    private static void update(String sql, Object... parameters) throws Exception {
        try (Connection connection = dataApi.dataSource(database).getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
