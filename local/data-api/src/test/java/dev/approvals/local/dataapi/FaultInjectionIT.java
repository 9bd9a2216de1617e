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

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseResumingException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseUnavailableException;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.StatementTimeoutException;

/** Fault injection from the Java API and the admin endpoint, and the per-operation call counters. */
class FaultInjectionIT {

    private static final String BUMP = "UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n";

    private static LocalDataApi api;
    private static RdsDataClient client;
    private static RdsDataClient noRetries;
    private static String db;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() {
        api = LocalDataApi.shared();
        client = api.newClient();
        noRetries = api.newClient(b -> b.overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())));
        db = api.createDatabase("faults");
        jdbc(api, db, "CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
    }

    @AfterAll
    static void tearDown() {
        client.close();
        noRetries.close();
    }

    @BeforeEach
    void reset() {
        jdbc(api, db, "DELETE FROM counter", "INSERT INTO counter VALUES (1, 0)");
        api.faults().clear();
        api.calls().reset();
    }

    @AfterEach
    void clear() {
        api.faults().clear();
    }

    private static String counter() {
        return query(api, db, "SELECT n FROM counter WHERE id = 1").get(0);
    }

    @Test
    void resuming_shouldFailTheNextCallsWithoutRetriesThenRecover() {
        api.faults().resumingForNextCalls(2);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> execute(client, api, db, BUMP))
                    .isInstanceOfSatisfying(DatabaseResumingException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("is resuming after being auto-paused");
                    });
        }
        assertThat(api.calls().count("ExecuteStatement")).as("400: the SDK does not retry").isEqualTo(2);
        assertThat(counter()).isEqualTo("0");
        assertThat(execute(client, api, db, BUMP).records().get(0).get(0).longValue()).isEqualTo(1);
        assertThat(api.faults().pending()).isZero();
    }

    @Test
    void resuming_shouldNotApplyToCommitButToBegin() {
        String tx = client.beginTransaction(r -> r.resourceArn(api.clusterArn()).secretArn(api.secretArn())
                .database(db)).transactionId();
        api.faults().resumingForNextCalls(1);
        assertThat(client.commitTransaction(r -> r.resourceArn(api.clusterArn()).secretArn(api.secretArn())
                .transactionId(tx)).transactionStatus()).isEqualTo("Transaction Committed");
        assertThatThrownBy(() -> client.beginTransaction(r -> r.resourceArn(api.clusterArn())
                .secretArn(api.secretArn()))).isInstanceOf(DatabaseResumingException.class);
    }

    @Test
    void unavailableBeforeExecute_shouldBeRetriedByTheSdkAndRunOnce() {
        api.faults().unavailableBeforeExecuteForNextCalls(1);
        ExecuteStatementResponse response = execute(client, api, db, BUMP);
        assertThat(response.records().get(0).get(0).longValue()).isEqualTo(1);
        assertThat(api.calls().count("ExecuteStatement")).isEqualTo(2);
        assertThat(counter()).isEqualTo("1");
    }

    @Test
    void unavailableAfterCommit_shouldLoseTheResponseSoTheSdkRetriesAnAlreadyCommittedChange() {
        api.faults().unavailableAfterCommitForNextCalls(1);
        ExecuteStatementResponse response = execute(client, api, db, BUMP);
        // the retry ran the UPDATE a second time: the first attempt's change was committed
        assertThat(response.records().get(0).get(0).longValue()).isEqualTo(2);
        assertThat(counter()).isEqualTo("2");
        assertThat(api.calls().count("ExecuteStatement")).isEqualTo(2);
        assertThat(api.calls().snapshot()).containsEntry("ExecuteStatement", 2L);
    }

    @Test
    void unavailableAfterCommit_withoutRetries_shouldFailYetHaveCommitted() {
        api.faults().unavailableAfterCommitForNextCalls(1);
        assertThatThrownBy(() -> execute(noRetries, api, db, BUMP))
                .isInstanceOfSatisfying(DatabaseUnavailableException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(504));
        assertThat(counter()).isEqualTo("1");
    }

    @Test
    void statementTimeout_shouldCancelTheStatementAndReportTheConnection() {
        api.faults().statementTimeoutForNextCalls(1);
        assertThatThrownBy(() -> execute(client, api, db, BUMP))
                .isInstanceOfSatisfying(StatementTimeoutException.class,
                        e -> assertThat(e.dbConnectionId()).isPositive());
        assertThat(counter()).isEqualTo("0");
        assertThat(execute(client, api, db, BUMP).records()).hasSize(1);
        assertThat(execute(client, api, db, "SHOW statement_timeout").records().get(0).get(0).stringValue())
                .as("the injected timeout does not leak into the pooled session").isEqualTo("0");
    }

    @Test
    void statementTimeout_insideATransaction_shouldLeaveItAborted() {
        String tx = client.beginTransaction(r -> r.resourceArn(api.clusterArn()).secretArn(api.secretArn())
                .database(db)).transactionId();
        api.faults().statementTimeoutForNextCalls(1);
        assertThatThrownBy(() -> client.executeStatement(Sql.request(api, db, BUMP).transactionId(tx).build()))
                .isInstanceOf(StatementTimeoutException.class);
        assertThatThrownBy(() -> client.executeStatement(Sql.request(api, db, BUMP).transactionId(tx).build()))
                .isInstanceOf(DatabaseErrorException.class).hasMessageContaining("25P02");
        client.rollbackTransaction(r -> r.resourceArn(api.clusterArn()).secretArn(api.secretArn()).transactionId(tx));
    }

    @Test
    void latency_shouldDelayEveryCallAtLeastThatLong() {
        execute(client, api, db, "SELECT 1"); // warm up
        api.faults().latency(Duration.ofMillis(200));
        long started = System.nanoTime();
        execute(client, api, db, "SELECT 1");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void operationFilter_shouldOnlyHitTheNamedOperations() {
        api.faults().unavailableBeforeExecuteForNextCalls(1, "BeginTransaction");
        assertThat(execute(noRetries, api, db, BUMP).records()).hasSize(1);
        assertThatThrownBy(() -> noRetries.beginTransaction(r -> r.resourceArn(api.clusterArn())
                .secretArn(api.secretArn()))).isInstanceOf(DatabaseUnavailableException.class);
        assertThatThrownBy(() -> api.faults().resumingForNextCalls(1, "Execute"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void injectedServerErrors_shouldBeRetriedBySdk() {
        api.faults().errorForNextCalls(2, "ServiceUnavailableError");
        assertThat(execute(client, api, db, BUMP).records()).hasSize(1);
        assertThat(api.calls().count("ExecuteStatement")).isEqualTo(3);
        assertThat(counter()).isEqualTo("1");
    }

    @Test
    void calls_shouldCountEveryOperationAndReset() {
        String tx = client.beginTransaction(r -> r.resourceArn(api.clusterArn()).secretArn(api.secretArn())
                .database(db)).transactionId();
        client.executeStatement(Sql.request(api, db, BUMP).transactionId(tx).build());
        client.rollbackTransaction(r -> r.resourceArn(api.clusterArn()).secretArn(api.secretArn()).transactionId(tx));
        assertThatThrownBy(() -> execute(client, api, db, "SELEKT")).isInstanceOf(DatabaseErrorException.class);
        assertThat(api.calls().snapshot()).containsExactly(
                java.util.Map.entry("BeginTransaction", 1L),
                java.util.Map.entry("ExecuteStatement", 2L),
                java.util.Map.entry("RollbackTransaction", 1L));
        assertThat(api.calls().total()).isEqualTo(4);
        api.calls().reset();
        assertThat(api.calls().count("ExecuteStatement")).isZero();
    }

    // ---- admin endpoint ------------------------------------------------------------------------------------------

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.endpoint() + "/_emulator/" + path));
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
        assertThatThrownBy(() -> execute(client, api, db, BUMP)).isInstanceOf(DatabaseResumingException.class);
        execute(client, api, db, BUMP);

        JsonNode calls = JSON.readTree(admin("GET", "calls", null).body());
        assertThat(calls.at("/calls/ExecuteStatement").asLong()).isEqualTo(2);
        assertThat(calls.get("total").asLong()).isEqualTo(2);
        assertThat(admin("DELETE", "calls", null).statusCode()).isEqualTo(200);
        assertThat(api.calls().total()).isZero();

        admin("POST", "faults", "{\"fault\":\"unavailable-after-commit\",\"count\":1}");
        admin("POST", "faults", "{\"fault\":\"latency\",\"millis\":5}");
        JsonNode faults = JSON.readTree(admin("GET", "faults", null).body());
        assertThat(faults.at("/armed/0/fault").asText()).isEqualTo("unavailable-after-commit");
        assertThat(faults.at("/latency/maxMillis").asLong()).isEqualTo(5);
        assertThat(admin("DELETE", "faults", null).statusCode()).isEqualTo(200);
        assertThat(api.faults().pending()).isZero();

        HttpResponse<String> bad = admin("POST", "faults", "{\"fault\":\"meteor-strike\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Unknown fault 'meteor-strike'");
        assertThat(admin("GET", "nope", null).statusCode()).isEqualTo(404);

        JsonNode info = JSON.readTree(admin("GET", "info", null).body());
        assertThat(info.get("clusterArn").asText()).isEqualTo(api.clusterArn());
        assertThat(info.get("endpoint").asText()).isEqualTo(api.endpoint().toString());
    }
}
