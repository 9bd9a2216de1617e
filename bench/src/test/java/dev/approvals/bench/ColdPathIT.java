package dev.approvals.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.stepfunctions.LocalStepFunctions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployable zips under the real Runtime Interface Client, as the harnesses run them: what a cold start loads (a
 * decision that resumes no workflow loads neither the Step Functions client nor the workflow function's classes; the
 * read and propose zips do not even contain the client), what SnapStart priming does (and does not do), and that
 * the baselines decide like the functions they are measured against.
 */
class ColdPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVAL = "5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f"; // events/approve-http.json
    /** The workflow function's classes, and the proposal and read code it shares (the library holds it all). */
    private static final Set<String> WORKFLOW_FUNCTION_CLASSES = Set.of(
            "dev.approvals.invocation.WorkflowFunction", "dev.approvals.wiring.WorkflowFunctionFactory",
            "dev.approvals.wiring.WorkflowConfig", "dev.approvals.core.WorkflowSteps",
            "dev.approvals.core.WorkflowStore", "dev.approvals.core.AutoApprovalPolicy",
            "dev.approvals.direct.WorkflowInput", "dev.approvals.store.DataApiWorkflowStore",
            "dev.approvals.core.ProposalService", "dev.approvals.store.DataApiProposalStore",
            "dev.approvals.core.ReadService", "dev.approvals.store.DataApiApprovalQueries");

    private static RicHarness harness;
    private static LocalStepFunctions stepFunctions;

    @BeforeAll
    static void start() {
        harness = new RicHarness();
        stepFunctions = LocalStepFunctions.start(0);
    }

    @AfterAll
    static void stop() {
        stepFunctions.close();
        harness.close();
    }

    @Test
    void decisionWithoutAWaitingWorkflow_neverLoadsTheStepFunctionsClient() throws Exception {
        harness.pending(BenchFunction.APPROVE);
        Path classLog = harness.newFile("classes", ".log");

        ClassLoadLog loaded;
        try (LambdaFunction approve = harness.start(BenchFunction.APPROVE, 0,
                Map.of("JAVA_TOOL_OPTIONS", ClassLoadLog.option(classLog)), false)) {
            harness.invoke(approve, BenchFunction.APPROVE, 200);
            loaded = ClassLoadLog.read(classLog);
        }

        assertThat(loaded.classNames())
                .contains("dev.approvals.functions.approve.ApproveHandler",
                        "software.amazon.awssdk.services.rdsdata.DefaultRdsDataClient")
                .noneMatch(name -> name.startsWith("software.amazon.awssdk.services.sfn."))
                .noneMatch(WORKFLOW_FUNCTION_CLASSES::contains)
                .noneMatch(name -> name.startsWith("org.apache.http") || name.startsWith("io.netty"));
        assertThat(status(APPROVAL)).isEqualTo("approved");
    }

    @Test
    void decisionWithAWaitingWorkflow_loadsItOnDemand_andResumesTheWorkflow() throws Exception {
        harness.pending(BenchFunction.APPROVE);
        String token = "cold-path-token-" + UUID.randomUUID();
        update("UPDATE ai_approvals SET task_token = ? WHERE id = ?", token);
        Path classLog = harness.newFile("classes", ".log");

        ClassLoadLog loaded;
        try (LambdaFunction approve = harness.start(BenchFunction.APPROVE, 0, Map.of(
                "JAVA_TOOL_OPTIONS", ClassLoadLog.option(classLog),
                "STEP_FUNCTIONS_ENDPOINT", stepFunctions.endpoint().toString()), false)) {
            harness.invoke(approve, BenchFunction.APPROVE, 200);
            loaded = ClassLoadLog.read(classLog);
        }

        assertThat(loaded.classNames()).contains("software.amazon.awssdk.services.sfn.DefaultSfnClient");
        assertThat(stepFunctions.accepted()).anySatisfy(c -> assertThat(c.taskToken()).isEqualTo(token));
    }

    @Test
    void theReadAndProposeFunctions_answerWithoutTheStepFunctionsClient_whichTheirZipsDoNotHold() throws Exception {
        for (BenchFunction function : List.of(BenchFunction.READ, BenchFunction.PROPOSE)) {
            try (ZipFile zip = new ZipFile(function.zip(harness.root()).toFile())) {
                assertThat(zip.stream().map(ZipEntry::getName)).as(function.name())
                        .anyMatch(name -> name.startsWith("lib/rdsdata-"))
                        .noneMatch(name -> name.startsWith("lib/sfn-"));
            }
            harness.pending(function);
            Path classLog = harness.newFile("classes", ".log");

            ClassLoadLog loaded;
            try (LambdaFunction pool = harness.start(function, 0,
                    Map.of("JAVA_TOOL_OPTIONS", ClassLoadLog.option(classLog)), false)) {
                harness.invoke(pool, function, function.status());
                loaded = ClassLoadLog.read(classLog);
            }

            assertThat(loaded.classNames()).as(function.name())
                    .contains(function.handlerClass())
                    .noneMatch(name -> name.startsWith("software.amazon.awssdk.services.sfn."));
        }
    }

    @Test
    void everyFunctionZip_holdsTheUrlConnectionClient_andNoOtherHttpClient() throws Exception {
        // Every jar of the class path is opened at start: the SDK's Apache and Netty clients (15 jars) once came
        // along with a service client's default dependencies and cost every cold start without ever being used.
        for (BenchFunction function : List.of(BenchFunction.APPROVE, BenchFunction.REJECT, BenchFunction.READ,
                BenchFunction.PROPOSE, BenchFunction.WORKFLOW)) {
            try (ZipFile zip = new ZipFile(function.zip(harness.root()).toFile())) {
                assertThat(zip.stream().map(ZipEntry::getName)).as(function.name())
                        .anyMatch(name -> name.startsWith("lib/url-connection-client-"))
                        .noneMatch(name -> name.startsWith("lib/apache") || name.startsWith("lib/httpclient")
                                || name.startsWith("lib/httpcore") || name.startsWith("lib/netty"));
            }
        }
    }

    @Test
    void snapStartInit_primesTheDecisionPath_withoutWritingOrLogging() throws Exception {
        harness.pending(BenchFunction.APPROVE);
        Path classLog = harness.newFile("classes", ".log");
        int eventsBefore = auditEvents();

        try (LambdaFunction approve = harness.start(BenchFunction.APPROVE, 1,
                Map.of("JAVA_TOOL_OPTIONS", ClassLoadLog.option(classLog)), true)) {
            // GIVEN an initialised environment (hooks run): the whole decision path is loaded already ...
            assertThat(ClassLoadLog.read(classLog).classNames()).contains(
                    "dev.approvals.http.HttpAnswers", "dev.approvals.json.ApprovalJson",
                    "software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse");
            // ... and nothing was written
            assertThat(status(APPROVAL)).isEqualTo("pending");
            assertThat(auditEvents()).isEqualTo(eventsBefore);

            // WHEN the first request comes
            InvocationResult first = harness.invoke(approve, BenchFunction.APPROVE, 200);

            // THEN it decides for real, and its log line is the only one (priming logs nothing)
            assertThat(status(APPROVAL)).isEqualTo("approved");
            assertThat(auditEvents()).isEqualTo(eventsBefore + 1);
            assertThat(first.log()).filteredOn(line -> line.contains("\"message\":\"decision\"")).hasSize(1);
        }
    }

    @Test
    void snapStartInit_primesTheReadAndProposePaths_withoutWritingOrLogging() throws Exception {
        for (BenchFunction function : List.of(BenchFunction.READ, BenchFunction.PROPOSE)) {
            harness.pending(function);
            Path classLog = harness.newFile("classes", ".log");
            int approvalsBefore = approvals();

            try (LambdaFunction pool = harness.start(function, 1,
                    Map.of("JAVA_TOOL_OPTIONS", ClassLoadLog.option(classLog)), true)) {
                // GIVEN an initialised environment (hooks run): the request path is loaded already ...
                assertThat(ClassLoadLog.read(classLog).classNames()).as(function.name()).contains(
                        "dev.approvals.http.HttpAnswers", "dev.approvals.json.ApprovalJson",
                        "software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse");
                // ... and nothing was written
                assertThat(approvals()).as(function.name()).isEqualTo(approvalsBefore);

                // WHEN the first request comes, THEN its log line is the only one (priming logs nothing)
                InvocationResult first = harness.invoke(pool, function, function.status());
                assertThat(first.log()).as(function.name())
                        .filteredOn(line -> line.contains("\"message\":\"http\"")).hasSize(1);
            }
        }
    }

    @Test
    void onDemandInit_shouldNeitherRunNorRegisterThePriming() throws Exception {
        for (BenchFunction function : List.of(BenchFunction.APPROVE, BenchFunction.READ, BenchFunction.PROPOSE)) {
            Path classLog = harness.newFile("classes", ".log");

            try (LambdaFunction pool = harness.start(function, 1,
                    Map.of("JAVA_TOOL_OPTIONS", ClassLoadLog.option(classLog)), false)) {
                assertThat(ClassLoadLog.read(classLog).classNames()).as(function.name())
                        .contains(function.handlerClass())
                        .doesNotContain("java.lang.reflect.Proxy", "dev.approvals.wiring.CannedHttpClient",
                                "dev.approvals.http.HttpAnswers")
                        // no org.crac class, no SnapStartPriming, no primer
                        .noneMatch(name -> name.startsWith("org.crac.") || name.endsWith("Priming"));
            }
        }
    }

    @Test
    void baselines_decideAPendingApproval_andRefuseItOnceDecided() throws Exception {
        for (BenchFunction baseline : new BenchFunction[] {BenchFunction.FLOOR, BenchFunction.NAIVE}) {
            harness.pending(baseline);
            try (LambdaFunction function = harness.start(baseline, 1, Map.of(), false)) {
                InvocationResult decided = harness.invoke(function, baseline, 200);
                assertThat(JSON.readTree(JSON.readTree(decided.payload()).path("body").asText())
                        .path("version").asInt()).as(baseline.name()).isEqualTo(2);
                assertThat(status(APPROVAL)).isEqualTo("approved");

                harness.invoke(function, baseline, 409);
            }
        }
    }

    private static String status(String id) throws Exception {
        try (Connection c = harness.dataApi().dataSource(harness.dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT status FROM ai_approvals WHERE id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getString(1);
            }
        }
    }

    private static int approvals() throws Exception {
        try (Connection c = harness.dataApi().dataSource(harness.dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM ai_approvals");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    private static int auditEvents() throws Exception {
        try (Connection c = harness.dataApi().dataSource(harness.dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM ai_approval_events WHERE approval_id = ?")) {
            s.setObject(1, UUID.fromString(APPROVAL));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static void update(String sql, String value) throws Exception {
        try (Connection c = harness.dataApi().dataSource(harness.dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            s.setObject(2, UUID.fromString(APPROVAL));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
