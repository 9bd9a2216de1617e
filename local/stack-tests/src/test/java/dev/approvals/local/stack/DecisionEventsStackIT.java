package dev.approvals.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.approvals.local.apigateway.JwtTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decision events through the whole local stack (docs/events.md): the functions publish to the EventBridge stand-in,
 * which applies the template's rules, so the outbox function marks the events published and the executor runs the
 * approved action once; for a decision over HTTP and for one a workflow makes by invoking the approve function.
 */
class DecisionEventsStackIT {

    private static LocalStack stack;

    /** The shared stack: these tests look only at the approvals they create, whatever else it decides. */
    @BeforeAll
    static void start() {
        stack = Stacks.shared();
    }

    @Test
    void proposeThenApproveOverHttp_publishesBothEvents_andTheExecutorRunsTheActionOnce() throws Exception {
        // An agent proposes with its own token; the dev approver decides (nobody approves their own request).
        String agent = JwtTokens.unsigned(JwtTokens.devClaims("agent-7", "agent-7", List.of(), LocalStack.LOCAL_ISSUER,
                LocalStack.LOCAL_CLIENT_ID, Instant.now(), Duration.ofHours(1)));
        HttpResponse<String> proposed = Http.post(URI.create(stack.httpEndpoint() + "/approvals"), agent,
                "{\"actionType\": \"refund\", \"actionPayload\": {\"amount\": 5}}");
        assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(201);
        UUID id = UUID.fromString(Http.json(proposed).get("id").asText());

        HttpResponse<String> approved = Http.post(URI.create(stack.httpEndpoint() + "/approvals/" + id + "/approve"),
                stack.devToken(), "{\"expectedVersion\": 1, \"reason\": \"ok\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        awaitExecution(id);
        assertThat(eventKinds(id)).contains("ApprovalRequested", "ApprovalDecided");
        assertThat(count("SELECT count(*) FROM ai_action_executions WHERE approval_id = ? AND outcome = 'succeeded'",
                id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ai_approval_outbox WHERE approval_id = ? AND published_at IS NULL",
                id)).as("both events delivered back and marked published").isZero();
    }

    @Test
    void aWorkflowsApproval_throughTheApproveFunctionsInvoke_isExecutedOnceAsWell() throws Exception {
        UUID id = UUID.randomUUID();
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(stack.lambdaEndpoint())
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            String recorded = lambda.invoke(r -> r.functionName("WorkflowFunction").payload(SdkBytes.fromUtf8String(
                    "{\"step\": \"propose\", \"approvalId\": \"" + id + "\", \"requestedBy\": "
                            + "\"arn:aws:states:us-east-1:123456789012:execution:ApprovalFlow:e2e\", \"input\": "
                            + "{\"actionType\": \"refund\", \"actionPayload\": {\"amount\": 7}, \"timeoutSeconds\": 60}}")))
                    .payload().asUtf8String();
            assertThat(recorded).contains(id.toString());
            // What ApprovalFlow's automatic approval sends the approve function's alias `workflow` (statemachine/);
            // the actor is the deployment's, never the payload's.
            String decided = lambda.invoke(r -> r.functionName("ApproveFunction").qualifier("workflow")
                    .payload(SdkBytes.fromUtf8String("{\"approvalId\": \"" + id + "\", \"expectedVersion\": 1, "
                            + "\"idempotencyKey\": \"" + id + "#AutoApprove\"}")))
                    .payload().asUtf8String();
            assertThat(decided).contains("\"status\":\"approved\"");
        }

        awaitExecution(id);
        assertThat(eventKinds(id)).contains("ApprovalRequested", "ApprovalDecided");
        assertThat(count("SELECT count(*) FROM ai_action_executions WHERE approval_id = ?", id)).isEqualTo(1);
    }

    /** Delivery is asynchronous, as on AWS: wait (bounded) for the executor's row. */
    private static void awaitExecution(UUID id) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (count("SELECT count(*) FROM ai_action_executions WHERE approval_id = ? AND finished_at IS NOT NULL",
                id) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(500);
    }

    private static List<String> eventKinds(UUID id) {
        JsonNode listed = Http.json(Http.send(HttpRequest.newBuilder(
                URI.create(stack.events().endpoint() + "/_local/events")).GET().build())).get("events");
        List<String> kinds = new ArrayList<>();
        for (JsonNode received : listed) {
            JsonNode event = received.get("event");
            if (event.path("detail").path("approval").path("id").asText().equals(id.toString())) {
                kinds.add(event.get("detail-type").asText());
            }
        }
        return kinds;
    }

    private static long count(String sql, UUID id) throws Exception {
        try (Connection c = stack.dataApi().dataSource(stack.dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
