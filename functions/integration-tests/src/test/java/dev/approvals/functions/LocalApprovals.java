package dev.approvals.functions;

import dev.approvals.wiring.EnvironmentVariables;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.core.Decision;
import dev.approvals.functions.approve.ApproveHandler;
import dev.approvals.functions.propose.ProposeHandler;
import dev.approvals.functions.read.ReadHandler;
import dev.approvals.functions.reject.RejectHandler;
import dev.approvals.functions.workflow.WorkflowHandler;
import dev.approvals.local.seeds.ApprovalSeeds;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.wiring.FunctionFactory;
import dev.approvals.wiring.ProposeFunctionFactory;
import dev.approvals.wiring.ReadFunctionFactory;
import dev.approvals.wiring.WorkflowFunctionFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * One fresh, migrated database behind the shared local Data API, the real handlers (approve, reject, read, propose,
 * workflow) wired to it exactly as the Lambda runtime would (configuration from an environment map), each as its
 * own database role through its own secret, as deployed, and direct JDBC (as the admin) to seed and inspect rows.
 */
final class LocalApprovals {

    /** What the template's CursorSigningKey secret holds for these tests (64 characters, as generated). */
    static final String CURSOR_SIGNING_KEY = "local-cursor-signing-key-".repeat(3).substring(0, 64);

    final LocalDataApi dataApi = LocalDataApi.shared();
    final String database;
    final DataSource jdbc;
    /** The secret ARN of each database role, registered with the local Data API. */
    final Map<String, String> roleSecrets;
    final RequestStreamHandler approve;
    final RequestStreamHandler reject;
    final RequestStreamHandler read;
    final RequestStreamHandler propose;
    final RequestStreamHandler workflow;

    private LocalApprovals(String prefix, Map<String, String> extraEnv) {
        database = dataApi.createDatabase(prefix);
        dataApi.migrate(database);
        jdbc = dataApi.dataSource(database);
        roleSecrets = DatabaseRoles.registerAll(dataApi, database);
        approve = new ApproveHandler(FunctionFactory.decisionFunction(Decision.APPROVE,
                environment(DatabaseRoles.APPROVER, extraEnv)));
        reject = new RejectHandler(FunctionFactory.decisionFunction(Decision.REJECT,
                environment(DatabaseRoles.REJECTER, extraEnv)));
        read = new ReadHandler(ReadFunctionFactory.readFunction(environment(DatabaseRoles.READER,
                Map.of(EnvironmentVariables.CURSOR_SIGNING_KEY, CURSOR_SIGNING_KEY))));
        propose = new ProposeHandler(ProposeFunctionFactory.proposeFunction(environment(DatabaseRoles.PROPOSER,
                extraEnv)));
        workflow = new WorkflowHandler(WorkflowFunctionFactory.workflowFunction(environment(DatabaseRoles.WORKFLOW,
                extraEnv)));
    }

    static LocalApprovals create(String prefix) {
        return new LocalApprovals(prefix, Map.of());
    }

    static LocalApprovals create(String prefix, Map<String, String> extraEnv) {
        return new LocalApprovals(prefix, extraEnv);
    }

    /** What template.yaml gives a function, resolved for this machine: the secret of {@code role}, and extras. */
    Map<String, String> environment(String role, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                EnvironmentVariables.DB_CLUSTER_ARN, dataApi.clusterArn(),
                EnvironmentVariables.DB_SECRET_ARN, roleSecrets.get(role),
                EnvironmentVariables.DB_NAME, database,
                EnvironmentVariables.DATA_API_ENDPOINT, dataApi.endpoint().toString(),
                EnvironmentVariables.APPROVER_GROUP, "",
                EnvironmentVariables.ALLOW_ANY_APPROVER, "true",
                EnvironmentVariables.WORKFLOW_ACTOR, "workflow:auto-approval-policy",
                EnvironmentVariables.AWS_REGION, dataApi.region()));
        env.putAll(extra);
        return env;
    }

    RequestStreamHandler handler(Decision decision) {
        return decision == Decision.APPROVE ? approve : reject;
    }

    UUID seedPending(UUID id) {
        return seed(id, null);
    }

    /** A pending refund of 42 EUR at version 1, with an optional deadline. */
    UUID seed(UUID id, Instant expiresAt) {
        return ApprovalSeeds.into(jdbc).pending(id, ApprovalSeeds.REFUND, expiresAt).id();
    }

    UUID seedPending() {
        return seedPending(UUID.randomUUID());
    }

    /** A pending approval a workflow waits on with this task token. */
    UUID seedWaitedOn(String taskToken) {
        UUID id = seedPending();
        update("UPDATE ai_approvals SET task_token = ? WHERE id = ?", taskToken, id);
        return id;
    }

    Map<String, Object> row(UUID id) {
        List<Map<String, Object>> rows = query("SELECT * FROM ai_approvals WHERE id = ?", id);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    List<Map<String, Object>> events(UUID id) {
        return query("SELECT * FROM ai_approval_events WHERE approval_id = ? ORDER BY id", id);
    }

    /** Every approval and event, for asserting that a request changed nothing. */
    List<Map<String, Object>> everything() {
        List<Map<String, Object>> all = new ArrayList<>(query("SELECT * FROM ai_approvals ORDER BY id"));
        all.addAll(query("SELECT * FROM ai_approval_events ORDER BY id"));
        return all;
    }

    int update(String sql, Object... parameters) {
        try (Connection connection = jdbc.getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = jdbc.getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet resultSet = statement.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(resultSet.getMetaData().getColumnLabel(i), resultSet.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    /** Counts the statements (Data API ExecuteStatement calls) the emulator receives from now on. */
    StatementCount countStatements() {
        long before = dataApi.calls().count("ExecuteStatement");
        return () -> dataApi.calls().count("ExecuteStatement") - before;
    }

    /** The statements sent since {@link #countStatements()}: every test's one way to count round trips. */
    interface StatementCount {
        long sent();
    }
}
