package dev.approvals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.dataapi.ApprovalSeeds;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.stepfunctions.LocalStepFunctions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployable artifacts, alone in a fresh JVM, as on a Lambda cold start: they answer, a decision that resumes
 * no workflow never loads the Step Functions client nor any of the workflow function's classes, and the read and
 * propose zips do not even contain the client.
 */
class ColdPathIT {

    private static final String HANDLER = "dev.approvals.functions.approve.ApproveHandler";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The workflow function's classes, and the proposal and read code it shares (the library holds it all). */
    private static final Set<String> WORKFLOW_FUNCTION_CLASSES = Set.of(
            "dev.approvals.invocation.WorkflowFunction", "dev.approvals.wiring.WorkflowFunctionFactory",
            "dev.approvals.wiring.WorkflowConfig", "dev.approvals.core.WorkflowSteps",
            "dev.approvals.core.WorkflowStore", "dev.approvals.core.AutoApprovalPolicy",
            "dev.approvals.direct.WorkflowInput", "dev.approvals.store.DataApiWorkflowStore",
            "dev.approvals.core.ProposalService", "dev.approvals.store.DataApiProposalStore",
            "dev.approvals.core.ReadService", "dev.approvals.store.DataApiApprovalQueries");

    private static LocalDataApi dataApi;
    private static LocalStepFunctions stepFunctions;
    private static ColdStart approve;
    private static Path event;
    private static UUID approvalId;

    @BeforeAll
    static void start() throws Exception {
        dataApi = LocalDataApi.shared();
        stepFunctions = LocalStepFunctions.start(0);
        Path root = ColdStartBenchmark.repositoryRoot();
        approve = ColdStart.of(root.resolve("functions/approve/target/function.zip"));
        event = root.resolve("events/approve-http.json");
        approvalId = UUID.fromString(JSON.readTree(event.toFile()).at("/pathParameters/id").asText());
    }

    @AfterAll
    static void stop() {
        stepFunctions.close();
    }

    @Test
    void decisionWithoutAWaitingWorkflow_neverLoadsTheStepFunctionsClient() throws Exception {
        ApprovalSeeds.into(dataApi.dataSource(dataApi.databaseName())).pending(approvalId);

        ColdStart.Run run = approve.run(HANDLER, event, environment(), Files.createTempFile("classes-", ".log"));

        JsonNode answer = JSON.readTree(run.answer());
        assertThat(answer.path("statusCode").asInt()).as(run.answer()).isEqualTo(200);
        assertThat(run.loadedClasses()).contains(HANDLER, "software.amazon.awssdk.services.rdsdata.DefaultRdsDataClient")
                .noneMatch(name -> name.startsWith("software.amazon.awssdk.services.sfn."))
                .noneMatch(WORKFLOW_FUNCTION_CLASSES::contains)
                .noneMatch(name -> name.startsWith("org.apache.http") || name.startsWith("io.netty"));
    }

    @Test
    void decisionWithAWaitingWorkflow_loadsItOnDemand_andResumesTheWorkflow() throws Exception {
        ApprovalSeeds.into(dataApi.dataSource(dataApi.databaseName())).pending(approvalId);
        String token = "cold-path-token-" + UUID.randomUUID();
        try (var connection = dataApi.dataSource(dataApi.databaseName()).getConnection();
             var statement = connection.prepareStatement("UPDATE ai_approvals SET task_token = ? WHERE id = ?")) {
            statement.setString(1, token);
            statement.setObject(2, approvalId);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }

        ColdStart.Run run = approve.run(HANDLER, event, environment(), Files.createTempFile("classes-", ".log"));

        assertThat(JSON.readTree(run.answer()).path("statusCode").asInt()).as(run.answer()).isEqualTo(200);
        assertThat(run.loadedClasses()).contains("software.amazon.awssdk.services.sfn.DefaultSfnClient");
        assertThat(stepFunctions.accepted()).anySatisfy(c -> assertThat(c.taskToken()).isEqualTo(token));
    }

    @Test
    void theReadAndProposeFunctions_answerWithoutTheStepFunctionsClient_whichTheirZipsDoNotHold() throws Exception {
        Path root = ColdStartBenchmark.repositoryRoot();
        ApprovalSeeds.into(dataApi.dataSource(dataApi.databaseName())).pending(approvalId);
        for (ColdStartBenchmark.Function function : ColdStartBenchmark.FUNCTIONS.subList(1, 3)) {
            Path zip = root.resolve(function.module()).resolve("target/function.zip");
            try (var entries = new java.util.zip.ZipFile(zip.toFile())) {
                assertThat(entries.stream().map(java.util.zip.ZipEntry::getName)).as(function.name())
                        .anyMatch(name -> name.startsWith("lib/rdsdata-"))
                        .noneMatch(name -> name.startsWith("lib/sfn-"));
            }
            ColdStart.Run run = ColdStart.of(zip).run(function.handler(), ColdStartBenchmark.event(root, function),
                    ColdStartBenchmark.functionEnvironment(dataApi, function.role()), Files.createTempFile("classes-", ".log"));

            assertThat(JSON.readTree(run.answer()).path("statusCode").asInt()).as(run.answer()).isEqualTo(function.status());
            assertThat(run.loadedClasses()).contains(function.handler())
                    .noneMatch(name -> name.startsWith("software.amazon.awssdk.services.sfn."));
        }
    }

    private static Map<String, String> environment() throws Exception {
        Map<String, String> env = new HashMap<>(ColdStartBenchmark.functionEnvironment(dataApi, DatabaseRoles.APPROVER));
        env.put("STEP_FUNCTIONS_ENDPOINT", stepFunctions.endpoint().toString());
        return env;
    }
}
