package dev.approvals.functions.migrate;

import dev.approvals.testing.TestContext;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.migrator.MigrationSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The custom resource handler end to end: real CloudFormation-shaped events, the real migrator and migrations,
 * the local Data API over PostgreSQL, and a loopback server standing in for the pre-signed response URL.
 */
class MigrateHandlerIT {

    private static final Duration NO_MARGIN_NEEDED = Duration.ofSeconds(1);
    private static final Duration QUICK_RESUME = Duration.ofMillis(10);
    private static final int PLENTY_OF_TIME_MS = 120_000;

    private final LocalDataApi api = LocalDataApi.shared();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private ResponseUrlReceiver cloudFormation;
    private String database;

    @BeforeEach
    void setUp() {
        cloudFormation = new ResponseUrlReceiver();
        database = api.createDatabase("migrate");
    }

    @AfterEach
    void tearDown() {
        api.faults().clear();
        cloudFormation.close();
    }

    @Test
    void create_appliesThePackagedMigrationsThroughTheDataApi_andAnswersSuccess() throws Exception {
        long transactionsBefore = api.calls().count("CommitTransaction");

        ResponseUrlReceiver.Received answer = invoke(packagedMigrations(), event("Create", null));

        assertThat(answer.method()).isEqualTo("PUT");
        assertThat(answer.contentType()).as("the pre-signed URL is signed without a content type").isNull();
        assertThat(answer.body())
                .containsEntry("Status", "SUCCESS")
                .containsEntry("PhysicalResourceId", "schema-migrations-" + database)
                .containsEntry("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/approvals/1")
                .containsEntry("RequestId", "req-1")
                .containsEntry("LogicalResourceId", "SchemaMigration")
                .containsEntry("Data", Map.of("AppliedVersions", shippedVersionsText(), "LatestVersion", latestShipped()));
        assertThat(tableExists("ai_approvals")).isTrue();
        assertThat(appliedVersions()).containsExactlyElementsOf(shippedVersions());
        assertThat(api.calls().count("CommitTransaction") - transactionsBefore)
                .as("each migration file is committed in a Data API transaction").isEqualTo(shippedVersions().size());
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .contains("\"status\":\"SUCCESS\"")
                .doesNotContain("X-Amz-Signature");
    }

    @Test
    void update_appliesNothingTwice_andKeepsThePhysicalResourceId() throws Exception {
        invoke(packagedMigrations(), event("Create", null));

        ResponseUrlReceiver.Received answer = invoke(packagedMigrations(), event("Update", "schema-migrations-first"));

        assertThat(answer.body())
                .containsEntry("Status", "SUCCESS")
                .containsEntry("PhysicalResourceId", "schema-migrations-first")
                .containsEntry("Data", Map.of("AppliedVersions", "", "LatestVersion", latestShipped()));
        assertThat(appliedVersions()).containsExactlyElementsOf(shippedVersions());
    }

    @Test
    void failingMigration_answersFailed_withAReasonNamingTheFile(@TempDir Path migrations) throws Exception {
        Files.writeString(migrations.resolve("V1__first.sql"), "CREATE TABLE first_table (id integer PRIMARY KEY);");
        Files.writeString(migrations.resolve("V2__broken.sql"),
                "CREATE TABLE second_table (id integer);\nCREATE TABLE broken (id integer REFERENCES nowhere (id));");

        ResponseUrlReceiver.Received answer = invoke(MigrationSource.fromDirectory(migrations), event("Create", null));

        assertThat(answer.body()).containsEntry("Status", "FAILED")
                .containsEntry("PhysicalResourceId", "schema-migrations-" + database);
        assertThat((String) answer.body().get("Reason"))
                .contains("V2__broken.sql", "statement 2", "nowhere")
                .contains("CloudWatch log stream 2026/11/27/[live]test-stream");
        assertThat(appliedVersions()).as("V1 committed, V2 rolled back as a whole").containsExactly(1L);
        assertThat(tableExists("second_table")).isFalse();
    }

    @Test
    void rollbackToThePreviousVersion_answersSuccess_withoutMigrating(@TempDir Path migrations) throws Exception {
        Files.writeString(migrations.resolve("V1__broken.sql"), "THIS IS NOT SQL;");
        long callsBefore = api.calls().total();
        Map<String, Object> rollback = event("Update", "schema-migrations-first");
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) rollback.get("ResourceProperties");
        properties.put("MigrationsVersion", "arn:aws:lambda:us-east-1:123456789012:function:MigrateFunction:2");

        ResponseUrlReceiver.Received answer = invoke(MigrationSource.fromDirectory(migrations), rollback);

        assertThat(answer.body()).containsEntry("Status", "SUCCESS")
                .containsEntry("PhysicalResourceId", "schema-migrations-first");
        assertThat(api.calls().total()).as("nothing sent to the Data API").isEqualTo(callsBefore);
    }

    @Test
    void roleSecrets_setEachRolesPassword_afterMigrating_soEachRoleLogsInWithItsSecret() throws Exception {
        try (SecretsManagerStandIn secretsManager = new SecretsManagerStandIn()) {
            List<String> arns = new ArrayList<>();
            for (String role : DatabaseRoles.ALL) {
                String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + role + "-AbCdEf";
                secretsManager.put(arn, role, DatabaseRoles.password(api, role));
                arns.add(arn);
            }
            Map<String, Object> event = event("Create", null);
            properties(event).put("RoleSecretArns", arns);

            ResponseUrlReceiver.Received answer = invokeWithSecrets(secretsManager, event);

            assertThat(answer.body()).containsEntry("Status", "SUCCESS");
            assertThat(((Map<?, ?>) answer.body().get("Data")).get("RolePasswordsSet"))
                    .isEqualTo(String.join(",", DatabaseRoles.ALL));
            assertThat(secretsManager.requested()).hasSize(DatabaseRoles.ALL.size())
                    .allMatch(r -> r.startsWith("secretsmanager.GetSecretValue arn:aws:secretsmanager:"));
            for (String role : DatabaseRoles.ALL) {
                assertThat(canLogIn(role, DatabaseRoles.password(api, role))).as(role).isTrue();
            }
            assertThat(logged.toString(StandardCharsets.UTF_8)).contains("\"rolePasswordsSet\"")
                    .doesNotContain(DatabaseRoles.password(api, DatabaseRoles.READER));
        }
    }

    @Test
    void aRoleSecretNamingAnotherUser_answersFailed_andSetsNothing() throws Exception {
        try (SecretsManagerStandIn secretsManager = new SecretsManagerStandIn()) {
            String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf";
            secretsManager.put(arn, api.postgres().adminUser(), "a-password-for-the-admin");
            Map<String, Object> event = event("Create", null);
            properties(event).put("RoleSecretArns", List.of(arn));

            ResponseUrlReceiver.Received answer = invokeWithSecrets(secretsManager, event);

            assertThat(answer.body()).containsEntry("Status", "FAILED");
            assertThat((String) answer.body().get("Reason")).contains("is not an approvals role")
                    .doesNotContain("a-password-for-the-admin");
        }
    }

    @Test
    void aRoleSecretThatCannotBeRead_answersFailed_namingIt() throws Exception {
        try (SecretsManagerStandIn secretsManager = new SecretsManagerStandIn()) {
            Map<String, Object> event = event("Create", null);
            properties(event).put("RoleSecretArns", List.of("arn:aws:secretsmanager:us-east-1:123456789012:secret:gone"));

            ResponseUrlReceiver.Received answer = invokeWithSecrets(secretsManager, event);

            assertThat(answer.body()).containsEntry("Status", "FAILED");
            assertThat((String) answer.body().get("Reason")).contains("Cannot read the role secret", "secret:gone");
        }
    }

    @Test
    void delete_answersSuccess_withoutTouchingTheDatabase() throws Exception {
        long callsBefore = api.calls().total();
        Supplier<RdsDataClient> noClient = () -> {
            throw new AssertionError("Delete must not call the Data API");
        };
        MigrateHandler handler = new MigrateHandler(noClient, packagedMigrations(), NO_MARGIN_NEEDED, QUICK_RESUME,
                new PrintStream(logged, true, StandardCharsets.UTF_8));

        handler.handleRequest(json(event("Delete", "schema-migrations-first")), new ByteArrayOutputStream(),
                context(PLENTY_OF_TIME_MS));

        assertThat(cloudFormation.take().body())
                .containsEntry("Status", "SUCCESS")
                .containsEntry("PhysicalResourceId", "schema-migrations-first");
        assertThat(api.calls().total()).isEqualTo(callsBefore);
    }

    @Test
    void resumingDatabase_isWaitedFor_thenMigrated() throws Exception {
        api.faults().resumingForNextCalls(2);

        ResponseUrlReceiver.Received answer = invoke(packagedMigrations(), event("Create", null));

        assertThat(answer.body()).containsEntry("Status", "SUCCESS");
        assertThat(api.faults().pending()).isZero();
        assertThat(appliedVersions()).containsExactlyElementsOf(shippedVersions());
    }

    @Test
    void dataApiThatNeverAnswers_answersFailedBeforeTheFunctionTimesOut() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept()); // read nothing, answer nothing
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        try {
            Supplier<RdsDataClient> hanging = () -> RdsDataClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5)).build())
                    .build();
            // 1.5 s left, 1 s kept back for the answer: the handler stops waiting after half a second.
            MigrateHandler handler = new MigrateHandler(hanging, packagedMigrations(), NO_MARGIN_NEEDED,
                    QUICK_RESUME, new PrintStream(logged, true, StandardCharsets.UTF_8));

            handler.handleRequest(json(event("Create", null)), new ByteArrayOutputStream(), context(1_500));

            Map<String, Object> body = cloudFormation.take().body();
            assertThat(body).containsEntry("Status", "FAILED");
            assertThat((String) body.get("Reason")).contains("did not finish within 0.5 s", "raise the function's Timeout");
        } finally {
            silent.close();
            acceptor.join();
            for (Socket socket : accepted) {
                socket.close(); // lets the abandoned migration thread fail and end
            }
        }
    }

    @Test
    void missingProperties_answerFailed_namingThem() throws Exception {
        Map<String, Object> event = event("Create", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) event.get("ResourceProperties");
        properties.remove("SecretArn");
        properties.put("Database", " ");

        ResponseUrlReceiver.Received answer = invoke(packagedMigrations(), event);

        assertThat(answer.body()).containsEntry("Status", "FAILED");
        assertThat((String) answer.body().get("Reason")).contains("missing: SecretArn, Database");
    }

    @Test
    void eventWithoutResponseUrl_isLogged_andNothingIsSent() throws Exception {
        Map<String, Object> event = event("Create", null);
        event.remove("ResponseURL");
        MigrateHandler handler = new MigrateHandler(api::newClient, packagedMigrations(), NO_MARGIN_NEEDED,
                QUICK_RESUME, new PrintStream(logged, true, StandardCharsets.UTF_8));

        handler.handleRequest(json(event), new ByteArrayOutputStream(), context(PLENTY_OF_TIME_MS));

        assertThat(cloudFormation.nothingMore()).isTrue();
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("\"level\":\"ERROR\"", "nothing to answer");
    }

    /** The migrations as the Lambda sees them: db/migrations/ on the class path (from the repository's directory). */
    /** The versions packaged with the function (db/migrations), in order. */
    private static List<Long> shippedVersions() {
        return packagedMigrations().load().stream().map(dev.approvals.migrator.Migration::version).toList();
    }

    private static String shippedVersionsText() {
        return String.join(",", shippedVersions().stream().map(String::valueOf).toList());
    }

    private static String latestShipped() {
        return String.valueOf(shippedVersions().getLast());
    }

    private static MigrationSource packagedMigrations() {
        return MigrationSource.fromClasspath(MigrateHandler.MIGRATIONS_LOCATION, MigrateHandler.class.getClassLoader());
    }

    private ResponseUrlReceiver.Received invoke(MigrationSource migrations, Map<String, Object> event)
            throws IOException {
        MigrateHandler handler = new MigrateHandler(api::newClient, migrations, NO_MARGIN_NEEDED, QUICK_RESUME,
                new PrintStream(logged, true, StandardCharsets.UTF_8));
        handler.handleRequest(json(event), new ByteArrayOutputStream(), context(PLENTY_OF_TIME_MS));
        ResponseUrlReceiver.Received answer = cloudFormation.take();
        assertThat(cloudFormation.nothingMore()).as("exactly one answer").isTrue();
        return answer;
    }

    private ResponseUrlReceiver.Received invokeWithSecrets(SecretsManagerStandIn secretsManager,
                                                           Map<String, Object> event) throws IOException {
        MigrateHandler handler = new MigrateHandler(api::newClient, secretsManager::newClient, packagedMigrations(),
                NO_MARGIN_NEEDED, QUICK_RESUME, new PrintStream(logged, true, StandardCharsets.UTF_8));
        handler.handleRequest(json(event), new ByteArrayOutputStream(), context(PLENTY_OF_TIME_MS));
        return cloudFormation.take();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> event) {
        return (Map<String, Object>) event.get("ResourceProperties");
    }

    private boolean canLogIn(String user, String password) {
        Properties properties = api.postgres().connectionProperties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(api.jdbcUrl(database), properties)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A request as CloudFormation sends it (field names and shapes from the custom resource request reference). */
    private Map<String, Object> event(String requestType, String physicalResourceId) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:MigrateFunction:live");
        properties.put("ClusterArn", api.clusterArn());
        properties.put("SecretArn", api.secretArn());
        properties.put("Database", database);
        properties.put("MigrationsVersion", "arn:aws:lambda:us-east-1:123456789012:function:MigrateFunction:3");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("RequestType", requestType);
        event.put("ServiceToken", properties.get("ServiceToken"));
        event.put("ResponseURL", cloudFormation.url().toString());
        event.put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/approvals/1");
        event.put("RequestId", "req-1");
        event.put("LogicalResourceId", "SchemaMigration");
        event.put("ResourceType", "Custom::SchemaMigration");
        if (physicalResourceId != null) {
            event.put("PhysicalResourceId", physicalResourceId);
        }
        event.put("ResourceProperties", properties);
        if (requestType.equals("Update")) {
            event.put("OldResourceProperties", new LinkedHashMap<>(properties));
        }
        return event;
    }

    private static ByteArrayInputStream json(Map<String, Object> event) throws IOException {
        return new ByteArrayInputStream(JSON.std.asBytes(event));
    }

    private boolean tableExists(String table) throws SQLException {
        try (Connection c = api.dataSource(database).getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private List<Long> appliedVersions() throws SQLException {
        List<Long> versions = new ArrayList<>();
        try (Connection c = api.dataSource(database).getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT version FROM schema_migrations ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getLong(1));
            }
        }
        return versions;
    }

    /** Version 3 of the function (the version the test events' MigrationsVersion names), behind alias "live". */
    private static TestContext context(int remainingMillis) {
        return new TestContext("8a1c0e42-test-request", remainingMillis).withFunction("MigrateFunction", "3")
                .withLogStream("2026/11/27/[live]test-stream");
    }
}
