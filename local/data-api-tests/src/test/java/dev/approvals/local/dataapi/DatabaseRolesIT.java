package dev.approvals.local.dataapi;

import dev.approvals.migrator.RolePasswords;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

import static dev.approvals.local.dataapi.Sql.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The roles of db/migrations/V4 on a real server: created once per server however many databases are migrated,
 * their passwords set from SCRAM verifiers through the Data API, and the password function closed to all but the
 * migrating user.
 */
class DatabaseRolesIT {

    private static LocalDataApi api;
    private static RdsDataClient client;
    private static String database;
    private static Map<String, String> secrets;

    @BeforeAll
    static void setUp() {
        api = LocalDataApi.shared();
        client = api.newClient();
        database = api.createDatabase("roles");
        api.migrate(database);
        secrets = DatabaseRoles.registerAll(api, database);
    }

    @AfterAll
    static void tearDown() {
        client.close();
    }

    @Test
    void migratingASecondDatabase_onTheSameServer_keepsTheRolesAndGrantsInBoth() {
        String second = api.createDatabase("roles_again");
        api.migrate(second);

        assertThat(query(api, second, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'approvals\\_%'"))
                .containsExactly(String.valueOf(DatabaseRoles.ALL.size()));
        assertThat(query(api, second, "SELECT has_column_privilege('approvals_reader', 'ai_approvals', 'status', 'SELECT')"))
                .containsExactly("t");
        assertThat(query(api, second, "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles"
                + " WHERE rolname LIKE 'approvals\\_%' GROUP BY 1")).containsExactly("f");
    }

    @Test
    void eachRole_logsInWithThePasswordOfItsSecret_andNotWithAnother() throws SQLException {
        for (String role : DatabaseRoles.ALL) {
            try (Connection c = connect(role, DatabaseRoles.password(api, role))) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThatThrownBy(() -> connect(role, "not-" + DatabaseRoles.password(api, role)).close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        }
    }

    @Test
    void thePasswordIsStoredAsAVerifier_neverAsText() {
        assertThat(query(api, database, "SELECT DISTINCT left(rolpassword, 14) FROM pg_authid"
                + " WHERE rolname LIKE 'approvals\\_%'")).containsExactly("SCRAM-SHA-256$");
    }

    @Test
    void aRoleReadsThroughTheDataApi_asTheUserItsSecretNames() {
        String user = client.executeStatement(b -> b.resourceArn(api.clusterArn()).database(database)
                .secretArn(secrets.get(DatabaseRoles.READER)).sql("SELECT current_user AS u"))
                .records().getFirst().getFirst().stringValue();

        assertThat(user).isEqualTo(DatabaseRoles.READER);
    }

    @Test
    void thePasswordFunction_refusesOtherRolesAndPlainPasswords() {
        RolePasswords master = new RolePasswords(client, api.clusterArn(), api.secretArn(), database);

        assertThatThrownBy(() -> master.set(Map.of(api.postgres().adminUser(), "whatever-password")))
                .isInstanceOf(DatabaseErrorException.class).hasMessageContaining("is not an approvals role");
        assertThatThrownBy(() -> client.executeStatement(b -> b.resourceArn(api.clusterArn()).secretArn(api.secretArn())
                .database(database).sql("SELECT approvals_set_role_password('approvals_reader', 'plain-text')")))
                .isInstanceOf(DatabaseErrorException.class).hasMessageContaining("must be a SCRAM-SHA-256 verifier");
    }

    @Test
    void noRole_mayCallThePasswordFunction() {
        for (String role : DatabaseRoles.ALL) {
            RolePasswords asRole = new RolePasswords(client, api.clusterArn(), secrets.get(role), database);

            assertThatThrownBy(() -> asRole.set(Map.of(role, "a-new-password")))
                    .as(role).isInstanceOf(DatabaseErrorException.class).hasMessageContaining("SQLState: 42501");
        }
    }

    private static Connection connect(String user, String password) throws SQLException {
        Properties properties = api.postgres().connectionProperties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(api.jdbcUrl(database), properties);
    }
}
