package dev.approvals.local.localstack;

import dev.approvals.json.Json;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.testing.Events;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built function zips as Lambda functions in LocalStack and statemachine/approval-flow.asl.json run by
 * LocalStack's Step Functions: a decision, a conflict caught by its error name, the direct (auto-approval) path and a
 * waiting execution resumed by an HTTP-style approve. The functions reach the project's local Data API on the host;
 * with LOCALSTACK_AUTH_TOKEN set, every test also runs against LocalStack's own RDS Data API. Needs a Docker engine:
 * without one every test is skipped, with the reason (docs/testing.md).
 */
@ExtendWith(RequiresDocker.class)
class LocalStackWorkflowIT {

    /** Pinned: LocalStack images from 2026.03 on exit without an auth token; the 4.x line runs without one. */
    static final String LOCALSTACK_VERSION = "4.14.0";
    private static final String AUTO_APPROVED = "small-refund";
    /** The template's WORKFLOW_ACTOR: who a decision through the `workflow` alias is recorded as. */
    private static final String WORKFLOW_ACTOR = "workflow:auto-approval-policy";
    private static final String ROLE = "arn:aws:iam::000000000000:role/approvals-localstack";
    private static final Path ROOT = Path.of(System.getProperty("approvals.repositoryRoot", "../.."))
            .toAbsolutePath().normalize();

    private static LocalStackContainer localStack;
    private static HostPortForwarder forwarder;
    private static LambdaClient lambda;
    private static SfnClient sfn;
    private static final List<Deployment> DEPLOYMENTS = new ArrayList<>();

    /** The functions and state machines deployed against one database backend. */
    record Deployment(ApprovalsDatabase db, String approve, String reject, String workflow, String flow,
                      String conflictFlow) {
        @Override
        public String toString() {
            return db.backend();
        }
    }

    @BeforeAll
    static void deploy() throws IOException {
        if (!RequiresDocker.dockerAvailable()) {
            return; // every test is skipped, with the reason
        }
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        boolean licensed = token != null && !token.isBlank();
        localStack = new LocalStackContainer(DockerImageName.parse(
                (licensed ? "localstack/localstack-pro:" : "localstack/localstack:") + LOCALSTACK_VERSION))
                .withServices(licensed ? "lambda,stepfunctions,rds,secretsmanager" : "lambda,stepfunctions")
                // Lambda containers reach the host's forwarded Data API by this name (Docker 20.10+ on Linux)
                .withEnv("LAMBDA_DOCKER_FLAGS", "--add-host=host.docker.internal:host-gateway")
                .withEnv("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT", "120");
        if (licensed) {
            localStack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        localStack.start();
        lambda = client(LambdaClient.builder());
        sfn = client(SfnClient.builder());

        LocalDataApi dataApi = LocalDataApi.shared();
        forwarder = HostPortForwarder.toLoopback(dataApi.endpoint().getPort());
        DEPLOYMENTS.add(deployAgainst(ApprovalsDatabase.emulator(dataApi, forwarder)));
        if (licensed) {
            DEPLOYMENTS.add(deployAgainst(ApprovalsDatabase.localStackRds(client(RdsClient.builder()),
                    client(SecretsManagerClient.builder()), client(RdsDataClient.builder()),
                    ROOT.resolve("db/migrations"))));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (forwarder != null) {
            forwarder.close();
        }
        if (localStack != null) {
            localStack.stop();
        }
    }

    static Stream<Deployment> deployments() {
        return DEPLOYMENTS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void aDirectDecision_thenAConflictCaughtByItsErrorName(Deployment deployment) {
        UUID id = deployment.db().insertPending();

        Map<String, Object> decided = invokeJson(deployment.approve() + ":workflow", directPayload(id, "first"));
        var execution = run(deployment.conflictFlow(), Json.write(directPayload(id, "second")));

        assertThat(decided).containsEntry("status", "approved").containsEntry("version", 2);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(output(execution)).extractingByKey("conflict").asString()
                .contains("dev.approvals.errors.ApprovalAlreadyDecidedException");
        assertThat(deployment.db().query("SELECT status, decided_by FROM ai_approvals WHERE id = CAST(:id AS uuid)", id))
                .containsExactly(Map.of("status", "approved", "decided_by", WORKFLOW_ACTOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void theAutoApprovalPath_reachesTheActionWithTheDecision(Deployment deployment) {
        var execution = run(deployment.flow(), Json.write(input(AUTO_APPROVED)));

        assertThat(execution.status()).as(execution.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Map<String, Object> decision = map(output(execution).get("decision"));
        assertThat(decision).containsEntry("status", "approved").containsEntry("version", 2)
                .containsEntry("decidedBy", WORKFLOW_ACTOR)
                .containsEntry("requestedBy", execution.executionArn());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void aWaitingExecution_isResumedByAnHttpApprove(Deployment deployment) {
        String executionArn = sfn.startExecution(b -> b.stateMachineArn(deployment.flow())
                .input(Json.write(input("refund")))).executionArn();
        String id = waitFor(() -> deployment.db().query("SELECT id::text AS id FROM ai_approvals "
                + "WHERE requested_by = :id AND task_token IS NOT NULL", executionArn).stream()
                .map(row -> row.get("id")).findFirst().orElse(null), "the execution to wait on its approval");

        Map<String, Object> http = invokeJson(deployment.approve() + ":http", httpApprove(id));
        var execution = waitFor(() -> finished(executionArn), "the execution to finish");

        assertThat(http).containsEntry("statusCode", 200);
        assertThat(execution.status()).as(execution.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(output(execution)).isEqualTo(Map.of("decision",
                Json.parse(((String) http.get("body")).getBytes(StandardCharsets.UTF_8))));
    }

    // --- deployment ---------------------------------------------------------------------------------------------

    private static Deployment deployAgainst(ApprovalsDatabase db) throws IOException {
        String suffix = "-" + db.backend();
        Map<String, String> approveEnv = new HashMap<>(db.functionEnvironment(DatabaseRoles.APPROVER));
        approveEnv.putAll(Map.of("APPROVER_GROUP", "", "ALLOW_ANY_APPROVER", "true", "WORKFLOW_ACTOR", WORKFLOW_ACTOR));
        Map<String, String> rejectEnv = new HashMap<>(db.functionEnvironment(DatabaseRoles.REJECTER));
        rejectEnv.putAll(Map.of("APPROVER_GROUP", "", "ALLOW_ANY_APPROVER", "true", "WORKFLOW_ACTOR", ""));
        Map<String, String> workflowEnv = new HashMap<>(db.functionEnvironment(DatabaseRoles.WORKFLOW));
        workflowEnv.put("AUTO_APPROVED_ACTION_TYPES", AUTO_APPROVED);
        // The aliases the template publishes: each decision function accepts API Gateway events only through `http`
        // and the state machine's direct payload only through `workflow` (docs/security.md).
        String approve = function("approve" + suffix, "functions/approve",
                "dev.approvals.functions.approve.ApproveHandler::handleRequest", approveEnv, "http", "workflow");
        String reject = function("reject" + suffix, "functions/reject",
                "dev.approvals.functions.reject.RejectHandler::handleRequest", rejectEnv, "http");
        String workflow = function("workflow" + suffix, "functions/workflow",
                "dev.approvals.functions.workflow.WorkflowHandler::handleRequest", workflowEnv, "live");
        String definition = Files.readString(ROOT.resolve("statemachine/approval-flow.asl.json"))
                .replace("${WorkflowFunctionAlias}", workflow + ":live")
                .replace("${ApproveFunctionAlias}", approve + ":workflow");
        String flow = sfn.createStateMachine(b -> b.name("ApprovalFlow" + suffix).roleArn(ROLE)
                .definition(definition)).stateMachineArn();
        String conflictFlow = sfn.createStateMachine(b -> b.name("ConflictByName" + suffix).roleArn(ROLE)
                .definition(conflictDefinition(approve + ":workflow"))).stateMachineArn();
        return new Deployment(db, approve, reject, workflow, flow, conflictFlow);
    }

    /** Creates the function, publishes a version and points each alias at it; returns the unqualified ARN. */
    private static String function(String name, String module, String handler, Map<String, String> env,
                                   String... aliases) throws IOException {
        byte[] zip = Files.readAllBytes(ROOT.resolve(module).resolve("target/function.zip"));
        String arn = lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA21).handler(handler)
                .role(ROLE).timeout(60).memorySize(1024).code(c -> c.zipFile(SdkBytes.fromByteArray(zip)))
                .environment(e -> e.variables(env))).functionArn();
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
        String version = lambda.publishVersion(b -> b.functionName(name)).version();
        for (String alias : aliases) {
            lambda.createAlias(b -> b.functionName(name).name(alias).functionVersion(version));
        }
        return arn;
    }

    /** A direct lambda:invoke of the approve function that catches the conflict by its exception class name. */
    private static String conflictDefinition(String approveArn) {
        return """
                {"StartAt": "Approve", "States": {
                  "Approve": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "%s", "Payload.$": "$"},
                    "Catch": [{"ErrorEquals": ["dev.approvals.errors.ApprovalAlreadyDecidedException"],
                               "ResultPath": "$.conflict", "Next": "CaughtByName"}],
                    "Next": "Decided"},
                  "Decided": {"Type": "Succeed"},
                  "CaughtByName": {"Type": "Succeed"}}}""".formatted(approveArn);
    }

    // --- running ------------------------------------------------------------------------------------------------

    private static DescribeExecutionResponse run(String stateMachine, String input) {
        String arn = sfn.startExecution(b -> b.stateMachineArn(stateMachine).input(input)).executionArn();
        return waitFor(() -> finished(arn), "execution " + arn + " to finish");
    }

    private static DescribeExecutionResponse finished(String executionArn) {
        DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(executionArn));
        return execution.status() == ExecutionStatus.RUNNING ? null : execution;
    }

    /** Polls until {@code probe} gives something; bounded (Java cold starts in Lambda containers), not a timing check. */
    private static <T> T waitFor(Supplier<T> probe, String what) {
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(giveUp)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            ApprovalsDatabase.pause(Duration.ofMillis(500));
        }
        throw new AssertionError("Gave up waiting for " + what);
    }

    private static Map<String, Object> invokeJson(String function, Map<String, Object> payload) {
        InvokeResponse response = lambda.invoke(b -> b.functionName(function)
                .payload(SdkBytes.fromUtf8String(Json.write(payload))));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        return map(Json.parse(response.payload().asByteArray()));
    }

    private static Map<String, Object> output(DescribeExecutionResponse execution) {
        return map(Json.parse(execution.output().getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Object> input(String actionType) {
        Map<String, Object> input = Events.load("approval-flow-input.json");
        input.put("actionType", actionType);
        return input;
    }

    /** The state machine's direct payload; {@code attempt} only varies the idempotency key (the actor is fixed). */
    private static Map<String, Object> directPayload(UUID id, String attempt) {
        Map<String, Object> payload = Events.load("approve-direct.json");
        payload.put("approvalId", id.toString());
        payload.put("idempotencyKey", attempt + "#" + id);
        return payload;
    }

    /** An API Gateway HTTP API event from events/approve-http.json, as the front door would send it. */
    private static Map<String, Object> httpApprove(String id) {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "pathParameters").put("id", id);
        event.put("body", "{\"expectedVersion\": 1}");
        event.put("isBase64Encoded", false);
        return event;
    }

    private static <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        builder.endpointOverride(localStack.getEndpoint()).region(Region.of(localStack.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(localStack.getAccessKey(), localStack.getSecretKey())));
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(2)).build());
        }
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
