package dev.approvals.local.dataapi;

import static dev.approvals.local.dataapi.Sql.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.rdsdata.RdsDataClient;

/** The Java API other modules' tests use: shared(), databases, direct JDBC, second instances, close(). */
class LocalDataApiIT {

    @Test
    void shared_shouldBeOneMigratedInstanceOnLoopback() {
        LocalDataApi api = LocalDataApi.shared();
        assertThat(LocalDataApi.shared()).isSameAs(api);
        assertThat(api.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(api.endpoint().getPort()).isPositive();
        assertThat(api.region()).isEqualTo("us-east-1");
        assertThat(api.clusterArn()).isEqualTo("arn:aws:rds:us-east-1:123456789012:cluster:approvals-local");
        assertThat(api.secretArn()).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:");
        assertThat(Sql.query(api, api.databaseName(), "SELECT version FROM schema_migrations")).contains("1");
    }

    @Test
    void createDatabase_shouldGiveAnIsolatedDatabaseReachableThroughTheSameArns() throws Exception {
        LocalDataApi api = LocalDataApi.shared();
        String first = api.createDatabase("Iso-Test!");
        String second = api.createDatabase("Iso-Test!");
        assertThat(first).isNotEqualTo(second).startsWith("iso_test__").matches("[a-z0-9_]+");
        try (RdsDataClient client = api.newClient()) {
            execute(client, api, first, "CREATE TABLE only_here (x int)");
            assertThat(execute(client, api, second, "SELECT to_regclass('only_here') IS NULL").records().get(0).get(0)
                    .booleanValue()).isTrue();
        }
        try (Connection c = api.dataSource(first).getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(first);
        }
        assertThat(api.jdbcUrl(first)).endsWith("/" + first);
    }

    @Test
    void secondInstanceOverTheSameServer_shouldWorkAndCloseWithoutStoppingIt() throws Exception {
        LocalDataApi api = LocalDataApi.shared();
        String db = api.createDatabase("second");
        LocalDataApi second = LocalDataApi.start(api.sameServerConfig(db));
        URI endpoint = second.endpoint();
        assertThat(endpoint).isNotEqualTo(api.endpoint());
        assertThat(second.databaseName()).isEqualTo(db);
        try (RdsDataClient client = second.newClient()) {
            assertThat(client.executeStatement(r -> r.resourceArn(second.clusterArn()).secretArn(second.secretArn())
                    .sql("SELECT current_database()")).records().get(0).get(0).stringValue()).isEqualTo(db);
        }
        second.close();
        second.close(); // idempotent
        HttpRequest ping = HttpRequest.newBuilder(URI.create(endpoint + "/_emulator/health")).build();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(ping, HttpResponse.BodyHandlers.ofString()))
                .hasCauseInstanceOf(ConnectException.class);
        try (RdsDataClient client = api.newClient()) {
            assertThat(execute(client, api, db, "SELECT 1").records()).hasSize(1);
        }
    }

    @Test
    void ownEmbeddedInstance_shouldStartMigrateAndStopCleanly() throws Exception {
        java.nio.file.Path data;
        try (LocalDataApi own = LocalDataApi.start(LocalDataApiConfig.defaults()
                .withCluster(cluster -> cluster.withDatabaseName("own_db")).with(LocalDataApiConfig.Migrations.ON_START))) {
            assertThat(own.databaseName()).isEqualTo("own_db");
            assertThat(Sql.query(own, "own_db", "SELECT count(*) FROM ai_approvals")).containsExactly("0");
            data = java.nio.file.Path.of(Sql.query(own, "own_db", "SHOW data_directory").get(0));
            assertThat(data).exists();
        }
        assertThat(data).as("an ephemeral data directory is deleted on close").doesNotExist();
    }
}
