package dev.approvals.local.dataapi;

import static dev.approvals.local.dataapi.Sql.execute;
import static dev.approvals.local.dataapi.Sql.jdbc;
import static dev.approvals.local.dataapi.Sql.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseResumingException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseUnavailableException;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.StatementTimeoutException;

/** Fault injection from the Java API and the admin endpoint, and the per-operation call counters. */
class FaultInjectionIT {

    private static final String BUMP = "UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n";

    private static EmulatorDatabase emulator;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() {
        emulator = EmulatorDatabase.create("faults",
                "CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
    }

    @AfterAll
    static void tearDown() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        jdbc(emulator.api(), emulator.db(), "DELETE FROM counter", "INSERT INTO counter VALUES (1, 0)");
        emulator.api().faults().clear();
        emulator.api().calls().reset();
    }

    @AfterEach
    void clear() {
        emulator.api().faults().clear();
    }

    private static String counter() {
        return query(emulator.api(), emulator.db(), "SELECT n FROM counter WHERE id = 1").get(0);
    }

    @Test
    void resuming_shouldFailTheNextCallsWithoutRetriesThenRecover() {
        emulator.api().faults().resumingForNextCalls(2);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), BUMP))
                    .isInstanceOfSatisfying(DatabaseResumingException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("is resuming after being auto-paused");
                    });
        }
        assertThat(emulator.api().calls().count("ExecuteStatement")).as("400: the SDK does not retry").isEqualTo(2);
        assertThat(counter()).isEqualTo("0");
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), BUMP).records().get(0).get(0).longValue()).isEqualTo(1);
        assertThat(emulator.api().faults().pending()).isZero();
    }

    @Test
    void resuming_shouldNotApplyToCommitButToBegin() {
        String tx = emulator.client().beginTransaction(r -> r.resourceArn(emulator.api().clusterArn()).secretArn(emulator.api().secretArn())
                .database(emulator.db())).transactionId();
        emulator.api().faults().resumingForNextCalls(1);
        assertThat(emulator.client().commitTransaction(r -> r.resourceArn(emulator.api().clusterArn()).secretArn(emulator.api().secretArn())
                .transactionId(tx)).transactionStatus()).isEqualTo("Transaction Committed");
        assertThatThrownBy(() -> emulator.client().beginTransaction(r -> r.resourceArn(emulator.api().clusterArn())
                .secretArn(emulator.api().secretArn()))).isInstanceOf(DatabaseResumingException.class);
    }

    @Test
    void unavailableBeforeExecute_shouldBeRetriedByTheSdkAndRunOnce() {
        emulator.api().faults().unavailableBeforeExecuteForNextCalls(1);
        ExecuteStatementResponse response = execute(emulator.client(), emulator.api(), emulator.db(), BUMP);
        assertThat(response.records().get(0).get(0).longValue()).isEqualTo(1);
        assertThat(emulator.api().calls().count("ExecuteStatement")).isEqualTo(2);
        assertThat(counter()).isEqualTo("1");
    }

    @Test
    void unavailableAfterCommit_shouldLoseTheResponseSoTheSdkRetriesAnAlreadyCommittedChange() {
        emulator.api().faults().unavailableAfterCommitForNextCalls(1);
        ExecuteStatementResponse response = execute(emulator.client(), emulator.api(), emulator.db(), BUMP);
        // the retry ran the UPDATE a second time: the first attempt's change was committed
        assertThat(response.records().get(0).get(0).longValue()).isEqualTo(2);
        assertThat(counter()).isEqualTo("2");
        assertThat(emulator.api().calls().count("ExecuteStatement")).isEqualTo(2);
        assertThat(emulator.api().calls().snapshot()).containsEntry("ExecuteStatement", 2L);
    }

    @Test
    void unavailableAfterCommit_withoutRetries_shouldFailYetHaveCommitted() {
        emulator.api().faults().unavailableAfterCommitForNextCalls(1);
        assertThatThrownBy(() -> execute(emulator.noRetries(), emulator.api(), emulator.db(), BUMP))
                .isInstanceOfSatisfying(DatabaseUnavailableException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(504));
        assertThat(counter()).isEqualTo("1");
    }

    @Test
    void statementTimeout_shouldCancelTheStatementAndReportTheConnection() {
        emulator.api().faults().statementTimeoutForNextCalls(1);
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), BUMP))
                .isInstanceOfSatisfying(StatementTimeoutException.class,
                        e -> assertThat(e.dbConnectionId()).isPositive());
        assertThat(counter()).isEqualTo("0");
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), BUMP).records()).hasSize(1);
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), "SHOW statement_timeout").records().get(0).get(0).stringValue())
                .as("the injected timeout does not leak into the pooled session").isEqualTo("0");
    }

    @Test
    void statementTimeout_insideATransaction_shouldLeaveItAborted() {
        String tx = emulator.client().beginTransaction(r -> r.resourceArn(emulator.api().clusterArn()).secretArn(emulator.api().secretArn())
                .database(emulator.db())).transactionId();
        emulator.api().faults().statementTimeoutForNextCalls(1);
        assertThatThrownBy(() -> emulator.client().executeStatement(Sql.request(emulator.api(), emulator.db(), BUMP).transactionId(tx).build()))
                .isInstanceOf(StatementTimeoutException.class);
        assertThatThrownBy(() -> emulator.client().executeStatement(Sql.request(emulator.api(), emulator.db(), BUMP).transactionId(tx).build()))
                .isInstanceOf(DatabaseErrorException.class).hasMessageContaining("25P02");
        emulator.client().rollbackTransaction(r -> r.resourceArn(emulator.api().clusterArn()).secretArn(emulator.api().secretArn()).transactionId(tx));
    }

    @Test
    void latency_shouldDelayEveryCallAtLeastThatLong() {
        execute(emulator.client(), emulator.api(), emulator.db(), "SELECT 1"); // warm up
        emulator.api().faults().latency(Duration.ofMillis(200));
        long started = System.nanoTime();
        execute(emulator.client(), emulator.api(), emulator.db(), "SELECT 1");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void operationFilter_shouldOnlyHitTheNamedOperations() {
        emulator.api().faults().unavailableBeforeExecuteForNextCalls(1, "BeginTransaction");
        assertThat(execute(emulator.noRetries(), emulator.api(), emulator.db(), BUMP).records()).hasSize(1);
        assertThatThrownBy(() -> emulator.noRetries().beginTransaction(r -> r.resourceArn(emulator.api().clusterArn())
                .secretArn(emulator.api().secretArn()))).isInstanceOf(DatabaseUnavailableException.class);
        assertThatThrownBy(() -> emulator.api().faults().resumingForNextCalls(1, "Execute"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretFilter_shouldOnlyHitCallsMadeWithThatSecret() throws Exception {
        String otherSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:someone-else-AbCdEf";
        emulator.api().faults().forSecret(otherSecret).resumingForNextCalls(1, "ExecuteStatement");

        assertThat(execute(emulator.noRetries(), emulator.api(), emulator.db(), BUMP).records()).hasSize(1);
        assertThat(emulator.api().faults().pending()).isEqualTo(1);
        emulator.api().faults().clear();

        admin("POST", "faults", "{\"fault\":\"resuming\",\"secretArn\":\"" + emulator.api().secretArn() + "\"}");
        JsonNode armed = JSON.readTree(admin("GET", "faults", null).body()).get("armed");
        assertThat(armed).hasSize(1);
        assertThat(armed.get(0).get("secretArn").asText()).isEqualTo(emulator.api().secretArn());
        assertThatThrownBy(() -> execute(emulator.noRetries(), emulator.api(), emulator.db(), BUMP))
                .isInstanceOf(DatabaseResumingException.class);
        assertThat(emulator.api().faults().pending()).isZero();
    }

    @Test
    void injectedServerErrors_shouldBeRetriedBySdk() {
        emulator.api().faults().errorForNextCalls(2, "ServiceUnavailableError");
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), BUMP).records()).hasSize(1);
        assertThat(emulator.api().calls().count("ExecuteStatement")).isEqualTo(3);
        assertThat(counter()).isEqualTo("1");
    }

    @Test
    void calls_shouldCountEveryOperationAndReset() {
        String tx = emulator.client().beginTransaction(r -> r.resourceArn(emulator.api().clusterArn()).secretArn(emulator.api().secretArn())
                .database(emulator.db())).transactionId();
        emulator.client().executeStatement(Sql.request(emulator.api(), emulator.db(), BUMP).transactionId(tx).build());
        emulator.client().rollbackTransaction(r -> r.resourceArn(emulator.api().clusterArn()).secretArn(emulator.api().secretArn()).transactionId(tx));
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), "SELEKT")).isInstanceOf(DatabaseErrorException.class);
        assertThat(emulator.api().calls().snapshot()).containsExactly(
                java.util.Map.entry("BeginTransaction", 1L),
                java.util.Map.entry("ExecuteStatement", 2L),
                java.util.Map.entry("RollbackTransaction", 1L));
        assertThat(emulator.api().calls().total()).isEqualTo(4);
        emulator.api().calls().reset();
        assertThat(emulator.api().calls().count("ExecuteStatement")).isZero();
    }

    // ---- admin endpoint ------------------------------------------------------------------------------------------

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.api().endpoint() + "/_emulator/" + path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminEndpoint_shouldArmFaultsAndReadAndResetCounters() throws Exception {
        HttpResponse<String> armed = admin("POST", "faults",
                "{\"fault\":\"resuming\",\"count\":1,\"operations\":[\"ExecuteStatement\"]}");
        assertThat(armed.statusCode()).isEqualTo(200);
        JsonNode state = JSON.readTree(armed.body());
        assertThat(state.at("/armed/0/fault").asText()).isEqualTo("resuming");
        assertThat(state.at("/armed/0/remaining").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), BUMP)).isInstanceOf(DatabaseResumingException.class);
        execute(emulator.client(), emulator.api(), emulator.db(), BUMP);

        JsonNode calls = JSON.readTree(admin("GET", "calls", null).body());
        assertThat(calls.at("/calls/ExecuteStatement").asLong()).isEqualTo(2);
        assertThat(calls.get("total").asLong()).isEqualTo(2);
        assertThat(admin("DELETE", "calls", null).statusCode()).isEqualTo(200);
        assertThat(emulator.api().calls().total()).isZero();

        admin("POST", "faults", "{\"fault\":\"unavailable-after-commit\",\"count\":1}");
        admin("POST", "faults", "{\"fault\":\"latency\",\"millis\":5}");
        JsonNode faults = JSON.readTree(admin("GET", "faults", null).body());
        assertThat(faults.at("/armed/0/fault").asText()).isEqualTo("unavailable-after-commit");
        assertThat(faults.at("/latency/maxMillis").asLong()).isEqualTo(5);
        assertThat(admin("DELETE", "faults", null).statusCode()).isEqualTo(200);
        assertThat(emulator.api().faults().pending()).isZero();

        HttpResponse<String> bad = admin("POST", "faults", "{\"fault\":\"meteor-strike\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Unknown fault 'meteor-strike'");
        assertThat(admin("GET", "nope", null).statusCode()).isEqualTo(404);

        JsonNode info = JSON.readTree(admin("GET", "info", null).body());
        assertThat(info.get("clusterArn").asText()).isEqualTo(emulator.api().clusterArn());
        assertThat(info.get("endpoint").asText()).isEqualTo(emulator.api().endpoint().toString());
    }
}
