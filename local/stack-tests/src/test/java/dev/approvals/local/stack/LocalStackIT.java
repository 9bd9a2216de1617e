package dev.approvals.local.stack;

import dev.approvals.local.seeds.ApprovalSeeds;
import com.fasterxml.jackson.databind.JsonNode;

import dev.approvals.local.dataapi.DatabaseSettings;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole stack from template.yaml, end to end: the real approve and reject functions in their own JVMs under
 * the Lambda RIC, driven over HTTP through the front door and through the Invoke endpoint (raw HTTP and the AWS
 * SDK), against the local Data API and PostgreSQL. Last, it stops the stack and checks that nothing is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static LocalStack stack;
    private static ApprovalSeeds seeds;
    private static Set<Long> descendantsBefore;
    private static final List<Long> functionPids = new ArrayList<>();

    @BeforeAll
    static void start() {
        descendantsBefore = pids(ProcessHandle.current().descendants().toList());
        stack = Stacks.start("local-stack", b -> b.poolSize(2).prewarm(1));
        seeds = ApprovalSeeds.into(stack.dataApi().dataSource(stack.dataApi().databaseName()));
    }

    @AfterAll
    static void stopIfStillRunning() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Set<Long> pids(List<ProcessHandle> processes) {
        Set<Long> pids = new HashSet<>();
        processes.forEach(p -> pids.add(p.pid()));
        return pids;
    }

    private static UUID pending() {
        return seeds.pending(UUID.randomUUID()).id();
    }

    private static URI decide(UUID id, String decision) {
        return URI.create(stack.httpEndpoint() + "/approvals/" + id + "/" + decision);
    }

    private static HttpResponse<String> approve(UUID id, String token, String body, String... headers) {
        return Http.post(decide(id, "approve"), token, body, headers);
    }

    private static int version(UUID id) throws Exception {
        try (Connection c = stack.dataApi().dataSource(stack.dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT version FROM ai_approvals WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getInt(1) : -1;
            }
        }
    }

    // ---- secrets and roles ---------------------------------------------------------------------------------------

    @Test
    @Order(0)
    void eachFunction_getsItsOwnRolesSecret_andTheCursorKeyResolved_asCloudFormationWouldResolveThem() {
        Map<String, String> roles = stack.databaseRoles();
        Map<String, String> roleOf = new java.util.TreeMap<>();
        stack.functions().forEach((name, function) -> {
            String secret = function.spec().environment().get("DB_SECRET_ARN");
            if (secret != null) {
                roleOf.put(name, roles.get(secret));
            }
        });
        String cursorKey = stack.functions().get("ReadFunction").spec().environment().get("CURSOR_SIGNING_KEY");

        assertThat(roleOf).containsExactlyInAnyOrderEntriesOf(Map.of("ApproveFunction", "approvals_approver",
                "RejectFunction", "approvals_rejecter", "ReadFunction", "approvals_reader",
                "ProposeFunction", "approvals_proposer", "WorkflowFunction", "approvals_workflow",
                "ExecuteActionFunction", "approvals_executor", "OutboxFunction", "approvals_publisher"));
        assertThat(cursorKey).doesNotContain("{{").matches("[A-Za-z0-9]{64}");
    }

    @Test
    @Order(0)
    void eachFunction_reachesTheLocalEventBridge_throughTheSdksEndpointVariable() {
        String endpoint = stack.events().endpoint().toString();
        assertThat(stack.functions().values()).allSatisfy(function -> assertThat(function.spec().environment())
                .containsEntry("AWS_ENDPOINT_URL_EVENTBRIDGE", endpoint));

        try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(stack.events().endpoint())
                .region(Region.of(stack.config().region())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            String id = events.putEvents(b -> b.entries(e -> e.source("dev.approvals.test").detailType("Ping")
                    .detail("{\"n\": 1}"))).entries().getFirst().eventId();

            JsonNode listed = Http.json(Http.send(HttpRequest.newBuilder(URI.create(endpoint + "/_local/events"))
                    .GET().build())).get("events");
            assertThat(listed.get(listed.size() - 1).get("event").get("id").asText()).isEqualTo(id);
        }
    }

    // ---- HTTP API ----------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void approve_withDevToken_shouldAnswer200WithTheNewVersion() throws Exception {
        UUID id = pending();

        HttpResponse<String> response = approve(id, stack.devToken(), "{\"expectedVersion\": 1, \"reason\": \"ok\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Http.json(response);
        assertThat(body.path("id").asText()).isEqualTo(id.toString());
        assertThat(body.path("status").asText()).isEqualTo("approved");
        assertThat(body.path("version").asInt()).isEqualTo(2);
        assertThat(body.path("decidedBy").asText()).as("the actor comes from the token's sub")
                .isEqualTo(LocalStack.DEV_SUBJECT);
        assertThat(response.headers().firstValue("etag")).contains("\"2\"");
        assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
        assertThat(version(id)).isEqualTo(2);
    }

    @Test
    void sameApprovalTwice_shouldAnswer409AlreadyDecided() {
        UUID id = pending();
        String body = "{\"expectedVersion\": 1}";
        assertThat(approve(id, stack.devToken(), body).statusCode()).isEqualTo(200);

        HttpResponse<String> again = approve(id, stack.devToken(), body);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("content-type")).contains("application/problem+json");
        JsonNode problem = Http.json(again);
        assertThat(problem.path("type").asText()).endsWith("already-decided");
        assertThat(problem.path("currentVersion").asInt()).isEqualTo(2);
        assertThat(problem.path("currentStatus").asText()).isEqualTo("approved");
    }

    @Test
    void reject_shouldAnswer200Rejected() {
        UUID id = pending();

        HttpResponse<String> response = Http.post(decide(id, "reject"), stack.devToken(),
                "{\"expectedVersion\": 1, \"reason\": \"no\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.json(response).path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void staleVersion_shouldAnswer409VersionConflict() {
        UUID id = pending();

        HttpResponse<String> response = approve(id, stack.devToken(), "{\"expectedVersion\": 7}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(Http.json(response).path("type").asText()).endsWith("version-conflict");
    }

    @Test
    void ifMatchHeader_shouldServeAsTheVersion() {
        UUID id = pending();

        HttpResponse<String> response = approve(id, stack.devToken(), "{}", "If-Match", "\"1\"");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void noToken_shouldReachTheFunctionWhichAnswers401() {
        UUID id = pending();

        HttpResponse<String> response = approve(id, null, "{\"expectedVersion\": 1}");

        // the function's own answer (problem+json), not API Gateway's {"message":"Unauthorized"}
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(Http.json(response).path("type").asText()).endsWith("unauthenticated");
        assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Bearer"));
    }

    @Test
    void malformedToken_shouldAnswer401AsTheJwtAuthorizerWould() {
        HttpResponse<String> response = approve(pending(), "not.a-token", "{\"expectedVersion\": 1}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    }

    @Test
    void unknownApproval_shouldAnswerTheFunctions404() {
        HttpResponse<String> response = approve(UUID.randomUUID(), stack.devToken(), "{\"expectedVersion\": 1}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Http.json(response).path("type").asText()).endsWith("not-found");
    }

    @Test
    void unknownRoute_shouldAnswerApiGateways404() {
        HttpResponse<String> response = Http.post(URI.create(stack.httpEndpoint() + "/approvals/" + UUID.randomUUID()
                + "/escalate"), stack.devToken(), "{}");
        HttpResponse<String> wrongMethod = Http.send(HttpRequest.newBuilder(decide(UUID.randomUUID(), "approve"))
                .GET().build());

        for (HttpResponse<String> r : List.of(response, wrongMethod)) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"message\":\"Not Found\"}");
        }
    }

    @Test
    void missingVersion_shouldAnswer428() {
        HttpResponse<String> response = approve(pending(), stack.devToken(), "{\"reason\": \"no version\"}");

        assertThat(response.statusCode()).isEqualTo(428);
        assertThat(Http.json(response).path("type").asText()).endsWith("precondition-required");
    }

    @Test
    void malformedBody_shouldAnswer400() {
        UUID id = pending();

        HttpResponse<String> response = approve(id, stack.devToken(), "{\"expectedVersion\": 1,");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.json(response).path("type").asText()).endsWith("invalid-request");
    }

    @Test
    void workflowWaitingOnTheApproval_shouldBeResumedThroughTheLocalStepFunctions() throws Exception {
        // GIVEN a pending approval a workflow waits on with a task token
        UUID id = pending();
        String token = "local-task-token-" + UUID.randomUUID();
        try (Connection c = stack.dataApi().dataSource(stack.dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE ai_approvals SET task_token = ? WHERE id = ?")) {
            s.setString(1, token);
            s.setObject(2, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        // WHEN it is approved over HTTP
        assertThat(approve(id, stack.devToken(), "{\"expectedVersion\": 1}").statusCode()).isEqualTo(200);

        // THEN the function called SendTaskSuccess on the stack's Step Functions endpoint (STEP_FUNCTIONS_ENDPOINT)
        assertThat(stack.stepFunctions().accepted())
                .anySatisfy(c -> {
                    assertThat(c.operation()).isEqualTo("SendTaskSuccess");
                    assertThat(c.taskToken()).isEqualTo(token);
                });
    }

    // ---- Lambda Invoke endpoint ----------------------------------------------------------------------------------

    private static HttpResponse<String> invoke(String function, String payload, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.lambdaEndpoint()
                + "/2015-03-31/functions/" + function + "/invocations")).POST(HttpRequest.BodyPublishers.ofString(payload));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return Http.send(request.build());
    }

    private static String direct(UUID id, int expectedVersion) {
        return "{\"approvalId\": \"" + id + "\", \"expectedVersion\": " + expectedVersion
                + ", \"idempotencyKey\": \"" + UUID.randomUUID() + "\"}";
    }

    @Test
    void invokeEndpoint_directPayload_shouldAnswerTheDecidedApproval() {
        UUID id = pending();

        HttpResponse<String> response = invoke("ApproveFunction:workflow", direct(id, 1));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-amz-function-error")).isEmpty();
        assertThat(response.headers().firstValue("x-amz-executed-version")).contains("$LATEST");
        JsonNode approval = Http.json(response);
        assertThat(approval.path("status").asText()).isEqualTo("approved");
        assertThat(approval.path("decidedBy").asText()).isEqualTo("workflow:auto-approval-policy");
    }

    /** The workflow function runs from the template as its own role: it records, and confirms after a person. */
    @Test
    void invokeEndpoint_workflowSteps_shouldRecordAndConfirmAsTheWorkflowRole() {
        UUID id = UUID.randomUUID();
        String execution = "arn:aws:states:us-east-1:123456789012:execution:ApprovalFlow:local-" + id;

        HttpResponse<String> proposed = invoke("WorkflowFunction:live", "{\"step\": \"propose\", \"approvalId\": \""
                + id + "\", \"requestedBy\": \"" + execution + "\", \"input\": {\"actionType\": \"refund\","
                + " \"actionPayload\": {\"orderId\": \"A-1042\"}, \"timeoutSeconds\": 3600}}");
        int approved = approve(id, stack.devToken(), "{\"expectedVersion\": 1}").statusCode();
        HttpResponse<String> confirmed = invoke("WorkflowFunction", "{\"step\": \"confirm\", \"approvalId\": \""
                + id + "\", \"claim\": {\"id\": \"" + id + "\", \"status\": \"approved\", \"version\": 2}}");

        assertThat(proposed.headers().firstValue("x-amz-function-error")).as(proposed.body()).isEmpty();
        assertThat(Http.json(proposed).path("autoApprove").asBoolean(true)).isFalse();
        assertThat(approved).isEqualTo(200);
        assertThat(confirmed.headers().firstValue("x-amz-function-error")).as(confirmed.body()).isEmpty();
        assertThat(Http.json(confirmed).path("requestedBy").asText()).isEqualTo(execution);
        assertThat(Http.json(confirmed).path("version").asInt()).isEqualTo(2);
    }

    @Test
    void invokeEndpoint_conflict_shouldAnswerUnhandledWithTheDocumentedErrorType() {
        UUID stale = pending();
        UUID decided = pending();
        assertThat(invoke("ApproveFunction:workflow", direct(decided, 1)).statusCode()).isEqualTo(200);

        HttpResponse<String> versionConflict = invoke("ApproveFunction:workflow", direct(stale, 3));
        HttpResponse<String> alreadyDecided = invoke("ApproveFunction:workflow", direct(decided, 1));

        // HTTP 200 with X-Amz-Function-Error, and the runtime's error payload: what Step Functions sees
        assertThat(versionConflict.statusCode()).isEqualTo(200);
        assertThat(versionConflict.headers().firstValue("x-amz-function-error")).contains("Unhandled");
        JsonNode error = Http.json(versionConflict);
        assertThat(error.path("errorType").asText()).isEqualTo("dev.approvals.errors.ApprovalVersionConflictException");
        assertThat(error.has("errorMessage")).isTrue();
        assertThat(alreadyDecided.headers().firstValue("x-amz-function-error")).contains("Unhandled");
        assertThat(Http.json(alreadyDecided).path("errorType").asText())
                .isEqualTo("dev.approvals.errors.ApprovalAlreadyDecidedException");
    }

    @Test
    void invokeEndpoint_byArnAndAlias_shouldReachTheFunction() {
        UUID id = pending();
        String arn = "arn:aws:lambda:us-east-1:123456789012:function:ApproveFunction:workflow";

        HttpResponse<String> response = invoke(java.net.URLEncoder.encode(arn, StandardCharsets.UTF_8), direct(id, 1));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.json(response).path("status").asText()).isEqualTo("approved");
    }

    @Test
    void invokeEndpoint_unknownFunctionOrBadPayload_shouldAnswerAsLambda() {
        HttpResponse<String> unknown = invoke("NoSuchFunction", "{}");
        HttpResponse<String> unknownAlias = invoke("ApproveFunction:nope", "{}");
        HttpResponse<String> notJson = invoke("ApproveFunction", "{not json");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("x-amzn-errortype")).contains("ResourceNotFoundException");
        assertThat(unknown.body()).contains("Function not found: arn:aws:lambda:us-east-1:123456789012:function:NoSuchFunction");
        assertThat(unknownAlias.statusCode()).isEqualTo(404);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("x-amzn-errortype")).contains("InvalidRequestContentException");
    }

    @Test
    void awsSdk_shouldInvokeThroughTheEndpoint() {
        UUID id = pending();
        UUID missing = UUID.randomUUID();
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(stack.lambdaEndpoint())
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            InvokeResponse ok = lambda.invoke(r -> r.functionName("ApproveFunction").qualifier("workflow").logType(LogType.TAIL)
                    .payload(SdkBytes.fromUtf8String(direct(id, 1))));
            InvokeResponse failed = lambda.invoke(r -> r.functionName("ApproveFunction:workflow")
                    .payload(SdkBytes.fromUtf8String(direct(missing, 1))));

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.functionError()).isNull();
            assertThat(ok.payload().asUtf8String()).contains("\"status\":\"approved\"");
            String tail = new String(Base64.getDecoder().decode(ok.logResult()), StandardCharsets.UTF_8);
            assertThat(tail).contains("START RequestId: ").contains("\"outcome\":\"won\"")
                    .contains("REPORT RequestId: ");
            assertThat(failed.functionError()).isEqualTo("Unhandled");
            assertThat(failed.payload().asUtf8String())
                    .contains("\"errorType\":\"dev.approvals.errors.ApprovalNotFoundException\"");
            assertThatThrownBy(() -> lambda.invoke(r -> r.functionName("NoSuchFunction")))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("Function not found");
        }
    }

    // ---- another database, on-demand functions ------------------------------------------------------------------

    @Test
    void databaseUrl_andNoPrewarm_shouldRunOverThatDatabaseAndColdStartOnDemand() {
        // GIVEN a second stack over the first one's PostgreSQL (--database-url), with no warm JVM (--prewarm 0)
        var postgres = stack.dataApi().postgres();
        UUID id = pending();
        try (LocalStack second = Stacks.start("local-stack-database-url", b -> b.prewarm(0)
                .database(DatabaseSettings.external(stack.dataApi().jdbcUrl(stack.dataApi().databaseName()),
                        postgres.adminUser(), postgres.adminPassword())))) {
            assertThat(second.migration().appliedVersions()).as("already migrated by the first stack").isEmpty();
            assertThat(second.functionPids()).isEmpty();

            // WHEN the approval seeded through the first stack is approved through the second
            HttpResponse<String> response = Http.post(URI.create(second.httpEndpoint() + "/approvals/" + id
                    + "/approve"), second.devToken(), "{\"expectedVersion\": 1}");

            // THEN a cold start served it, from the same database
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(second.functions().get("ApproveFunction").coldStarts()).isEqualTo(1);
            assertThat(approve(id, stack.devToken(), "{\"expectedVersion\": 1}").statusCode()).isEqualTo(409);
        }
    }

    // ---- stopping --------------------------------------------------------------------------------------------

    @Test
    @Order(Integer.MAX_VALUE)
    void close_shouldLeaveNoProcessAndFreeEveryPort() {
        // GIVEN the processes the stack started: function JVMs and (embedded) PostgreSQL
        functionPids.addAll(stack.functionPids());
        assertThat(functionPids).isNotEmpty();
        Set<Long> started = pids(ProcessHandle.current().descendants().toList());
        started.removeAll(descendantsBefore);
        assertThat(started).containsAll(functionPids);
        List<Integer> ports = List.of(stack.httpEndpoint().getPort(), stack.lambdaEndpoint().getPort(),
                stack.dataApi().endpoint().getPort(), stack.stepFunctions().endpoint().getPort());
        assertThat(ports).allSatisfy(port -> assertThat(Stacks.listening(port)).as("port %d", port).isTrue());

        // WHEN
        LocalStack.ShutdownReport report = stack.report();

        // THEN
        assertThat(report.clean()).as(report.toString()).isTrue();
        assertThat(started).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process %d", pid).isEmpty());
        assertThat(ports).allSatisfy(port -> assertThat(Stacks.listening(port)).as("port %d", port).isFalse());
    }
}
