package dev.approvals.local.dataapi;

import static dev.approvals.local.dataapi.Sql.jdbc;
import static dev.approvals.local.dataapi.Sql.longValue;
import static dev.approvals.local.dataapi.Sql.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TransactionNotFoundException;

/** BeginTransaction / CommitTransaction / RollbackTransaction, BatchExecuteStatement, and transaction expiry. */
class TransactionsIT {

    private static EmulatorDatabase emulator;

    @BeforeAll
    static void setUp() {
        emulator = EmulatorDatabase.create("tx",
                "CREATE TABLE entry (id int PRIMARY KEY, note text)");
    }

    @AfterAll
    static void tearDown() {
        emulator.close();
    }

    @BeforeEach
    void emptyTable() {
        jdbc(emulator.api(), emulator.db(), "DELETE FROM entry");
    }

    private static String begin(LocalDataApi target, RdsDataClient c) {
        return c.beginTransaction(r -> r.resourceArn(target.clusterArn()).secretArn(target.secretArn()).database(emulator.db()))
                .transactionId();
    }

    private static ExecuteStatementResponse execute(LocalDataApi target, RdsDataClient c, String transactionId,
                                                    String sql, SqlParameter... parameters) {
        return c.executeStatement(r -> r.resourceArn(target.clusterArn()).secretArn(target.secretArn()).database(emulator.db())
                .transactionId(transactionId).sql(sql).parameters(parameters));
    }

    private static String commit(LocalDataApi target, RdsDataClient c, String transactionId) {
        return c.commitTransaction(r -> r.resourceArn(target.clusterArn()).secretArn(target.secretArn())
                .transactionId(transactionId)).transactionStatus();
    }

    private static String rollback(LocalDataApi target, RdsDataClient c, String transactionId) {
        return c.rollbackTransaction(r -> r.resourceArn(target.clusterArn()).secretArn(target.secretArn())
                .transactionId(transactionId)).transactionStatus();
    }

    @Test
    void commit_shouldMakeTheTransactionsWritesVisibleOnlyThen() {
        String tx = begin(emulator.api(), emulator.client());
        assertThat(tx).isNotBlank().hasSizeLessThanOrEqualTo(192);
        execute(emulator.api(), emulator.client(), tx, "INSERT INTO entry VALUES (:id, 'one')", longValue("id", 1));
        execute(emulator.api(), emulator.client(), tx, "INSERT INTO entry VALUES (:id, 'two')", longValue("id", 2));
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM entry")).containsExactly("0");
        assertThat(execute(emulator.api(), emulator.client(), tx, "SELECT count(*) FROM entry").records().get(0).get(0).longValue())
                .isEqualTo(2);
        assertThat(commit(emulator.api(), emulator.client(), tx)).isEqualTo("Transaction Committed");
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM entry")).containsExactly("2");
        assertThatThrownBy(() -> commit(emulator.api(), emulator.client(), tx)).isInstanceOf(TransactionNotFoundException.class)
                .hasMessageContaining("is not found");
    }

    @Test
    void rollback_shouldDiscardTheWrites() {
        String tx = begin(emulator.api(), emulator.client());
        execute(emulator.api(), emulator.client(), tx, "INSERT INTO entry VALUES (1, 'gone')");
        assertThat(rollback(emulator.api(), emulator.client(), tx)).isEqualTo("Rollback Complete");
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM entry")).containsExactly("0");
        assertThatThrownBy(() -> execute(emulator.api(), emulator.client(), tx, "SELECT 1"))
                .isInstanceOfSatisfying(TransactionNotFoundException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void sqlErrorInsideATransaction_shouldLeaveItOpenButAborted() {
        int openBefore = emulator.api().openTransactions();
        String tx = begin(emulator.api(), emulator.client());
        execute(emulator.api(), emulator.client(), tx, "INSERT INTO entry VALUES (1, 'first')");
        assertThatThrownBy(() -> execute(emulator.api(), emulator.client(), tx, "INSERT INTO entry VALUES (1, 'duplicate')"))
                .isInstanceOfSatisfying(DatabaseErrorException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).endsWith("; SQLState: 23505"));
        assertThatThrownBy(() -> execute(emulator.api(), emulator.client(), tx, "SELECT 1"))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("current transaction is aborted, commands ignored until end of transaction block")
                .hasMessageContaining("SQLState: 25P02");
        assertThatThrownBy(() -> commit(emulator.api(), emulator.client(), tx)).isInstanceOfSatisfying(DatabaseErrorException.class,
                e -> assertThat(e.awsErrorDetails().errorMessage()).endsWith("; SQLState: 25P02"));
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM entry")).containsExactly("0");
        assertThatThrownBy(() -> rollback(emulator.api(), emulator.client(), tx)).isInstanceOf(TransactionNotFoundException.class);
        assertThat(emulator.api().openTransactions()).isEqualTo(openBefore);
    }

    @Test
    void unknownTransactionId_shouldBeTransactionNotFoundOnEveryOperation() {
        String unknown = "bm90LWEtdHJhbnNhY3Rpb24=";
        assertThatThrownBy(() -> execute(emulator.api(), emulator.client(), unknown, "SELECT 1"))
                .isInstanceOf(TransactionNotFoundException.class)
                .hasMessageContaining("Transaction " + unknown + " is not found");
        assertThatThrownBy(() -> commit(emulator.api(), emulator.client(), unknown)).isInstanceOf(TransactionNotFoundException.class);
        assertThatThrownBy(() -> rollback(emulator.api(), emulator.client(), unknown)).isInstanceOf(TransactionNotFoundException.class);
    }

    @Test
    void sessionState_shouldPersistInsideATransaction() {
        String tx = begin(emulator.api(), emulator.client());
        execute(emulator.api(), emulator.client(), tx, "SET LOCAL TimeZone = 'Asia/Tokyo'");
        execute(emulator.api(), emulator.client(), tx, "CREATE TEMP TABLE scratch (x int) ON COMMIT DROP");
        execute(emulator.api(), emulator.client(), tx, "INSERT INTO scratch VALUES (1)");
        ExecuteStatementResponse r = execute(emulator.api(), emulator.client(), tx,
                "SELECT current_setting('TimeZone'), (SELECT count(*) FROM scratch)");
        assertThat(r.records().get(0).get(0).stringValue()).isEqualTo("Asia/Tokyo");
        assertThat(r.records().get(0).get(1).longValue()).isEqualTo(1);
        rollback(emulator.api(), emulator.client(), tx);
        assertThat(Sql.execute(emulator.client(), emulator.api(), emulator.db(), "SELECT current_setting('TimeZone')").records().get(0).get(0)
                .stringValue()).isEqualTo("UTC");
    }

    @Test
    void batchExecute_shouldRunOncePerParameterSetAtomically() {
        BatchExecuteStatementResponse ok = emulator.client().batchExecuteStatement(r -> r.resourceArn(emulator.api().clusterArn())
                .secretArn(emulator.api().secretArn()).database(emulator.db()).sql("INSERT INTO entry VALUES (:id, :note)")
                .parameterSets(java.util.List.of(
                        java.util.List.of(longValue("id", 1), Sql.string("note", "a")),
                        java.util.List.of(longValue("id", 2), Sql.string("note", "b")))));
        assertThat(ok.updateResults()).hasSize(2).allSatisfy(u -> assertThat(u.generatedFields()).isEmpty());
        assertThat(query(emulator.api(), emulator.db(), "SELECT note FROM entry ORDER BY id")).containsExactly("a", "b");

        assertThatThrownBy(() -> emulator.client().batchExecuteStatement(r -> r.resourceArn(emulator.api().clusterArn())
                .secretArn(emulator.api().secretArn()).database(emulator.db()).sql("INSERT INTO entry VALUES (:id, 'x')")
                .parameterSets(java.util.List.of(java.util.List.of(longValue("id", 3)),
                        java.util.List.of(longValue("id", 1))))))
                .isInstanceOf(DatabaseErrorException.class).hasMessageContaining("23505");
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM entry")).as("a failed batch leaves nothing")
                .containsExactly("2");

        BatchExecuteStatementResponse none = emulator.client().batchExecuteStatement(r -> r.resourceArn(emulator.api().clusterArn())
                .secretArn(emulator.api().secretArn()).database(emulator.db()).sql("INSERT INTO entry VALUES (:id, 'x')"));
        assertThat(none.updateResults()).isEmpty();
    }

    @Test
    void batchExecute_insideATransaction_shouldCommitWithIt() {
        String tx = begin(emulator.api(), emulator.client());
        emulator.client().batchExecuteStatement(r -> r.resourceArn(emulator.api().clusterArn()).secretArn(emulator.api().secretArn())
                .transactionId(tx).sql("INSERT INTO entry VALUES (:id, 'tx')")
                .parameterSets(java.util.List.of(java.util.List.of(longValue("id", 7)))));
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM entry")).containsExactly("0");
        commit(emulator.api(), emulator.client(), tx);
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM entry")).containsExactly("1");
    }

    @Test
    void idleTransaction_shouldExpireAfterThreeMinutesAndRollBack() {
        ManualClock clock = new ManualClock();
        try (LocalDataApi timed = LocalDataApi.start(emulator.api().sameServerConfig(emulator.db()).withClock(clock));
             RdsDataClient c = timed.newClient()) {
            String tx = begin(timed, c);
            execute(timed, c, tx, "INSERT INTO entry VALUES (1, 'uncommitted')");
            clock.advance(Duration.ofMinutes(2).plusSeconds(59));
            execute(timed, c, tx, "INSERT INTO entry VALUES (2, 'still alive')");
            clock.advance(Duration.ofMinutes(3).plusSeconds(1));
            assertThatThrownBy(() -> execute(timed, c, tx, "SELECT 1"))
                    .isInstanceOf(TransactionNotFoundException.class);
            assertThatThrownBy(() -> commit(timed, c, tx)).isInstanceOf(TransactionNotFoundException.class);
            assertThat(timed.openTransactions()).isZero();
            assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM entry")).containsExactly("0");
        }
    }

    @Test
    void busyTransaction_shouldExpireAfterItsMaximumLifetime() {
        assertThat(LocalDataApiConfig.defaults().transactions().maxLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(LocalDataApiConfig.defaults().transactions().idle()).isEqualTo(Duration.ofMinutes(3));
        ManualClock clock = new ManualClock();
        try (LocalDataApi timed = LocalDataApi.start(emulator.api().sameServerConfig(emulator.db()).withClock(clock)
                .withTransactions(timeouts -> timeouts.withMaxLifetime(Duration.ofMinutes(10))));
             RdsDataClient c = timed.newClient()) {
            String tx = begin(timed, c);
            for (int i = 0; i < 5; i++) { // never idle for 3 minutes, 10 minutes in total
                clock.advance(Duration.ofMinutes(2));
                execute(timed, c, tx, "SELECT 1");
            }
            clock.advance(Duration.ofMinutes(1));
            assertThatThrownBy(() -> execute(timed, c, tx, "SELECT 1"))
                    .isInstanceOf(TransactionNotFoundException.class);
        }
    }
}
