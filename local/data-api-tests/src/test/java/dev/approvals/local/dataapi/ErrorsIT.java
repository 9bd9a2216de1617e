package dev.approvals.local.dataapi;

import static dev.approvals.local.dataapi.Sql.execute;
import static dev.approvals.local.dataapi.Sql.jdbc;
import static dev.approvals.local.dataapi.Sql.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.BadRequestException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;
import software.amazon.awssdk.services.rdsdata.model.HttpEndpointNotEnabledException;
import software.amazon.awssdk.services.rdsdata.model.RdsDataException;
import software.amazon.awssdk.services.rdsdata.model.SecretsErrorException;
import software.amazon.awssdk.services.rdsdata.model.StatementTimeoutException;
import software.amazon.awssdk.services.rdsdata.model.UnsupportedResultException;

/** Every error shape on the wire, as the SDK sees it; limits; statement timeouts. */
class ErrorsIT {

    private static EmulatorDatabase emulator;

    @BeforeAll
    static void setUp() {
        emulator = EmulatorDatabase.create("errors",
                "CREATE TABLE thing (id int PRIMARY KEY, payload text)");
    }

    @AfterAll
    static void tearDown() {
        emulator.close();
    }

    @AfterEach
    void clearFaults() {
        emulator.api().faults().clear();
    }

    static Stream<Arguments> modelledErrors() {
        return Stream.of(
                Arguments.of("AccessDeniedException", 403),
                Arguments.of("BadRequestException", 400),
                Arguments.of("DatabaseErrorException", 400),
                Arguments.of("DatabaseNotFoundException", 404),
                Arguments.of("DatabaseResumingException", 400),
                Arguments.of("DatabaseUnavailableException", 504),
                Arguments.of("ForbiddenException", 403),
                Arguments.of("HttpEndpointNotEnabledException", 400),
                Arguments.of("InternalServerErrorException", 500),
                Arguments.of("InvalidResourceStateException", 400),
                Arguments.of("InvalidSecretException", 400),
                Arguments.of("NotFoundException", 404),
                Arguments.of("SecretsErrorException", 400),
                Arguments.of("ServiceUnavailableError", 503),
                Arguments.of("StatementTimeoutException", 400),
                Arguments.of("TransactionNotFoundException", 404),
                Arguments.of("UnsupportedResultException", 400));
    }

    @ParameterizedTest(name = "{0} -> HTTP {1}")
    @MethodSource("modelledErrors")
    void everyModelledErrorShape_shouldArriveAsItsSdkExceptionClass(String shape, int status) {
        emulator.api().faults().errorForNextCalls(1, shape);
        assertThatThrownBy(() -> execute(emulator.noRetries(), emulator.api(), emulator.db(), "SELECT 1"))
                .isInstanceOfSatisfying(RdsDataException.class, e -> {
                    // the SDK names one class differently from its shape: ServiceUnavailableError
                    String sdkClass = shape.endsWith("Error") ? shape + "Exception" : shape;
                    assertThat(e.getClass().getName())
                            .isEqualTo("software.amazon.awssdk.services.rdsdata.model." + sdkClass);
                    assertThat(e.statusCode()).isEqualTo(status);
                    assertThat(e.requestId()).isNotBlank();
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(shape);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Injected " + shape);
                });
    }

    @Test
    void postgresError_shouldBeDatabaseErrorExceptionWithTheV2MessageFormat() {
        jdbc(emulator.api(), emulator.db(), "INSERT INTO thing VALUES (1, 'x') ON CONFLICT DO NOTHING");
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), "INSERT INTO thing VALUES (1, 'again')"))
                .isInstanceOfSatisfying(DatabaseErrorException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("ERROR: duplicate key value violates unique constraint"
                        + " \"thing_pkey\"\n  Detail: Key (id)=(1) already exists.; SQLState: 23505"));
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), "SELECT * FROM no_such_table_xyz"))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("ERROR: relation \"no_such_table_xyz\" does not exist")
                .hasMessageContaining("Position: 15")
                .hasMessageContaining("SQLState: 42P01");
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), "SELEKT 1"))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("syntax error at or near \"SELEKT\"");
    }

    @Test
    void unknownClusterOrSecret_shouldBeTheRegistryErrors() {
        assertThatThrownBy(() -> emulator.client().executeStatement(r -> r.resourceArn(
                        "arn:aws:rds:us-east-1:123456789012:cluster:elsewhere").secretArn(emulator.api().secretArn()).sql("SELECT 1")))
                .isInstanceOf(HttpEndpointNotEnabledException.class)
                .hasMessageContaining("HttpEndpoint is not enabled for cluster elsewhere");
        assertThatThrownBy(() -> emulator.client().executeStatement(r -> r.resourceArn(emulator.api().clusterArn())
                        .secretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-123456").sql("SELECT 1")))
                .isInstanceOf(SecretsErrorException.class);
    }

    @Test
    void wrongPasswordOrUnknownDatabase_shouldBeThePostgresConnectionErrors() {
        String wrong = "arn:aws:secretsmanager:us-east-1:123456789012:secret:wrong-password-AbCdEf";
        emulator.api().registerSecret(wrong, "postgres", "definitely-not-the-password");
        assertThatThrownBy(() -> emulator.client().executeStatement(r -> r.resourceArn(emulator.api().clusterArn()).secretArn(wrong)
                .sql("SELECT 1")))
                .isInstanceOfSatisfying(DatabaseErrorException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("FATAL: password authentication failed for user \"postgres\"; SQLState: 28P01"));
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), "no_such_database", "SELECT 1"))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("database \"no_such_database\" does not exist")
                .hasMessageContaining("SQLState: 3D000");
    }

    @Test
    void multipleStatements_shouldBeRejectedAndNothingRun() {
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(),
                "INSERT INTO thing VALUES (50, 'a'); INSERT INTO thing VALUES (51, 'b')"))
                .isInstanceOfSatisfying(RdsDataException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Multistatements aren't supported");
                });
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM thing WHERE id IN (50, 51)")).containsExactly("0");
        // one trailing semicolon, and semicolons inside strings, comments and dollar quotes, are fine
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), "SELECT ';', $$;$$ /* ; */ ; -- ;").records()).hasSize(1);
    }

    @Test
    void resultOverOneMebibyte_shouldBeUnsupportedResult() {
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(),
                "SELECT repeat('x', 1000) FROM generate_series(1, 1100)"))
                .isInstanceOf(UnsupportedResultException.class)
                .hasMessageContaining("The result exceeds the size limit 1 MB");
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), "SELECT repeat('x', 1000) FROM generate_series(1, 900)").records())
                .hasSize(900);
    }

    @Test
    void rowsOverSixtyFourKilobytes_shouldComeBackAsFromTheLiveService() {
        String text = "A".repeat(100_000);
        byte[] bytes = new byte[500 * 1024];
        Arrays.fill(bytes, (byte) 'X');
        execute(emulator.client(), emulator.api(), emulator.db(), "INSERT INTO thing VALUES (60, :text)", Sql.string("text", text));
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), "SELECT payload FROM thing WHERE id = 60").records().get(0).get(0)
                .stringValue()).isEqualTo(text);
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), "SELECT :bytes", Sql.blob("bytes", bytes)).records().get(0).get(0)
                .blobValue().asByteArray()).isEqualTo(bytes);
    }

    @Test
    @SuppressWarnings("deprecation") // ExecuteSql is deprecated: that is what this test is about
    void executeSql_shouldAnswerAsTheDeprecatedOperationDoes() {
        assertThatThrownBy(() -> emulator.client().executeSql(r -> r.dbClusterOrInstanceArn(emulator.api().clusterArn())
                .awsSecretStoreArn(emulator.api().secretArn()).sqlStatements("SELECT 1")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("This API is deprecated and not available. Use ExecuteStatement API instead");
    }

    @Test
    void slowStatement_shouldTimeOutWithTheBackendPidAndBeCancelled() {
        try (LocalDataApi quick = LocalDataApi.start(emulator.api().sameServerConfig(emulator.db())
                .withLimits(limits -> limits.withStatementTimeout(Duration.ofMillis(300))));
             RdsDataClient c = quick.newClient()) {
            assertThatThrownBy(() -> c.executeStatement(Sql.request(quick, emulator.db(),
                    "INSERT INTO thing SELECT 900, 'late' FROM pg_sleep(3)").build()))
                    .isInstanceOfSatisfying(StatementTimeoutException.class, e -> {
                        assertThat(e.dbConnectionId()).isPositive();
                        assertThat(e.statusCode()).isEqualTo(400);
                    });
            assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM thing WHERE id = 900")).as("cancelled")
                    .containsExactly("0");
            assertThat(c.executeStatement(Sql.request(quick, emulator.db(), "SELECT 1").build()).records()).hasSize(1);
        }
    }

    @Test
    void continueAfterTimeout_shouldLetTheStatementFinish() {
        try (LocalDataApi quick = LocalDataApi.start(emulator.api().sameServerConfig(emulator.db())
                .withLimits(limits -> limits.withStatementTimeout(Duration.ofMillis(300))));
             RdsDataClient c = quick.newClient()) {
            String tx = c.beginTransaction(r -> r.resourceArn(quick.clusterArn()).secretArn(quick.secretArn()))
                    .transactionId();
            assertThatThrownBy(() -> c.executeStatement(Sql.request(quick, emulator.db(),
                            "INSERT INTO thing SELECT 901, 'finished' FROM pg_sleep(1)")
                    .transactionId(tx).continueAfterTimeout(true).build()))
                    .isInstanceOf(StatementTimeoutException.class);
            // the commit waits for the statement, which completed instead of being cancelled
            assertThat(c.commitTransaction(r -> r.resourceArn(quick.clusterArn()).secretArn(quick.secretArn())
                    .transactionId(tx)).transactionStatus()).isEqualTo("Transaction Committed");
            assertThat(query(emulator.api(), emulator.db(), "SELECT payload FROM thing WHERE id = 901")).containsExactly("finished");
        }
    }
}
