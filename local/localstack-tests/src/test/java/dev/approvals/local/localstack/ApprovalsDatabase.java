package dev.approvals.local.localstack;

import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.migrator.MigrationSource;
import dev.approvals.migrator.Migrator;
import dev.approvals.wiring.EnvironmentVariables;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ColumnMetadata;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The approvals database as the functions in LocalStack reach it through the RDS Data API, and as the test reads it
 * (through the same API, as the master user, so the checks are the same whichever backend serves it).
 *
 * @param endpointForLambdas the Data API endpoint as seen from inside a Lambda container
 * @param roleSecrets        each database role's secret ARN, as the template gives each function its own; a role
 *                           missing here runs on the master secret
 */
record ApprovalsDatabase(String backend, String clusterArn, String secretArn, String database,
                         String endpointForLambdas, RdsDataClient client, Map<String, String> roleSecrets) {

    /**
     * The project's local Data API on the host, through a forwarder the Lambda containers can reach; each function
     * connects as its own database role, as deployed.
     */
    static ApprovalsDatabase emulator(LocalDataApi dataApi, HostPortForwarder forwarder) {
        String database = dataApi.createDatabase("localstack");
        dataApi.migrate(database);
        return new ApprovalsDatabase("emulator", dataApi.clusterArn(), dataApi.secretArn(), database,
                "http://host.docker.internal:" + forwarder.port(), dataApi.newClient(),
                DatabaseRoles.registerAll(dataApi, database));
    }

    /**
     * An Aurora PostgreSQL cluster with the Data API in LocalStack (a licensed LocalStack: LOCALSTACK_AUTH_TOKEN),
     * migrated with the project's migrator as on AWS.
     */
    static ApprovalsDatabase localStackRds(RdsClient rds, SecretsManagerClient secrets, RdsDataClient rdsData,
                                           Path migrations) {
        String password = "pw-" + UUID.randomUUID();
        String secretArn = secrets.createSecret(b -> b.name("approvals-" + UUID.randomUUID())
                .secretString("{\"username\":\"approvals_admin\",\"password\":\"" + password + "\"}")).arn();
        DBCluster cluster = rds.createDBCluster(b -> b.dbClusterIdentifier("approvals-" + UUID.randomUUID().toString()
                        .substring(0, 8)).engine("aurora-postgresql").databaseName("approvals")
                .masterUsername("approvals_admin").masterUserPassword(password).enableHttpEndpoint(true)).dbCluster();
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
        while (!"available".equals(rds.describeDBClusters(b -> b.dbClusterIdentifier(cluster.dbClusterIdentifier()))
                .dbClusters().getFirst().status())) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("LocalStack's RDS cluster never became available");
            }
            pause(Duration.ofSeconds(2));
        }
        Migrator.builder().client(rdsData).resourceArn(cluster.dbClusterArn()).secretArn(secretArn)
                .database("approvals").migrations(MigrationSource.fromDirectory(migrations)).build().migrate();
        // The functions use the master secret here: how LocalStack's Data API treats a secret naming another user
        // has not been verified (no Docker engine where this was written).
        return new ApprovalsDatabase("localstack-rds", cluster.dbClusterArn(), secretArn, "approvals",
                "http://localhost.localstack.cloud:4566", rdsData, Map.of());
    }

    /** What a function's template entry would give it, for this database, connecting as {@code role}. */
    Map<String, String> functionEnvironment(String role) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvironmentVariables.DB_CLUSTER_ARN, clusterArn);
        env.put(EnvironmentVariables.DB_SECRET_ARN, roleSecrets.getOrDefault(role, secretArn));
        env.put(EnvironmentVariables.DB_NAME, database);
        env.put(EnvironmentVariables.DATA_API_ENDPOINT, endpointForLambdas);
        // LocalStack as seen from its Lambda containers: their callbacks go to its Step Functions
        env.put(EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT, "http://localhost.localstack.cloud:4566");
        return env;
    }

    /** A pending approval at version 1, as an agent would have proposed it. */
    UUID insertPending() {
        UUID id = UUID.randomUUID();
        query("INSERT INTO ai_approvals (id, action_type, action_payload, requested_by) "
                + "VALUES (CAST(:id AS uuid), 'refund', '{\"orderId\": \"A-1042\"}'::jsonb, 'agent-7') RETURNING id::text", id);
        return id;
    }

    /** Rows as column label to text (or null); {@code :id} is bound to {@code id}. */
    List<Map<String, String>> query(String sql, Object id) {
        ExecuteStatementResponse response = client.executeStatement(b -> b.resourceArn(clusterArn).secretArn(secretArn)
                .database(database).sql(sql).includeResultMetadata(true)
                .parameters(SqlParameter.builder().name("id").value(Field.builder().stringValue(id.toString()).build())
                        .build()));
        List<Map<String, String>> rows = new ArrayList<>();
        List<ColumnMetadata> columns = response.columnMetadata();
        for (List<Field> record : response.records()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Field field = record.get(i);
                row.put(columns.get(i).label(), Boolean.TRUE.equals(field.isNull()) ? null
                        : field.stringValue() != null ? field.stringValue() : String.valueOf(field.longValue()));
            }
            rows.add(row);
        }
        return rows;
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return backend;
    }
}
