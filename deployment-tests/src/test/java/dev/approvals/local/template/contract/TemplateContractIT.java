package dev.approvals.local.template.contract;

import dev.approvals.local.template.Repository;
import dev.approvals.local.template.SamFunction;
import dev.approvals.local.template.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code template.yaml} against the function zips the build produced (hence an IT: it runs after they are
 * packaged). The real template keeps every rule; for each rule, a deliberately broken copy of it shows the
 * violations that exactly that change introduces.
 */
class TemplateContractIT {

    private static final String STATE_MACHINE_DEFINITION = "statemachine/approval-flow.asl.json";
    private static final String APPROVE_HANDLER = "dev.approvals.functions.approve.ApproveHandler";
    private static final String READ_HANDLER = "dev.approvals.functions.read.ReadHandler";
    private static final String PROPOSE_HANDLER = "dev.approvals.functions.propose.ProposeHandler";
    private static final String WORKFLOW_HANDLER = "dev.approvals.functions.workflow.WorkflowHandler";
    private static final String MIGRATE_HANDLER = "dev.approvals.functions.migrate.MigrateHandler";
    private static final String INBOX_HANDLER = "dev.approvals.functions.inbox.InboxHandler";
    private static final String EXECUTE_HANDLER = "dev.approvals.functions.execute.ExecuteActionHandler";
    private static final String OUTBOX_HANDLER = "dev.approvals.functions.outbox.OutboxHandler";

    @TempDir
    static Path unpacked;

    private static SamTemplate template;
    private static final Map<String, FunctionArtifact> ARTIFACTS = new HashMap<>();

    @BeforeAll
    static void readTemplateAndArtifacts() throws IOException {
        template = SamTemplate.read(Repository.template());
        for (SamFunction function : template.functions()) {
            String codeUri = function.codeUri().orElseThrow();
            Path zip = zipOf(codeUri);
            if (Files.isRegularFile(zip) && !ARTIFACTS.containsKey(codeUri)) {
                ARTIFACTS.put(codeUri, FunctionArtifact.open(zip, Files.createTempDirectory(unpacked, "artifact")));
            }
        }
    }

    @AfterAll
    static void closeArtifacts() throws IOException {
        for (FunctionArtifact artifact : ARTIFACTS.values()) {
            artifact.close();
        }
        ARTIFACTS.clear();
    }

    @Test
    void theTemplateKeepsEveryRule() {
        assertThat(contract(template).violations()).isEmpty();
    }

    @Test
    void theFactsComeFromTheBuiltArtifacts() {
        FunctionArtifact approve = artifact("ApproveFunction");
        assertThat(approve.iamActionsCalled(APPROVE_HANDLER))
                .contains("rds-data:ExecuteStatement", "states:SendTaskSuccess", "states:SendTaskFailure");
        assertThat(approve.environmentVariablesRead(APPROVE_HANDLER)).contains("DB_CLUSTER_ARN", "DB_SECRET_ARN",
                "DB_NAME", "APPROVER_GROUP", "STEP_FUNCTIONS_ENDPOINT")
                .doesNotContain("CURSOR_SIGNING_KEY", "PROPOSER_GROUP", "AUTO_APPROVED_ACTION_TYPES");
        assertThat(approve.decisionMadeBy(APPROVE_HANDLER)).contains("APPROVE");
        assertThat(approve.routesReferencedBy(APPROVE_HANDLER)).isEmpty();
        assertThat(artifact("RejectFunction").decisionMadeBy("dev.approvals.functions.reject.RejectHandler"))
                .contains("REJECT");
        assertThat(artifact("MigrateFunction").iamActionsCalled(MIGRATE_HANDLER)).containsExactly(
                "rds-data:BeginTransaction", "rds-data:CommitTransaction", "rds-data:ExecuteStatement",
                "rds-data:RollbackTransaction", "secretsmanager:GetSecretValue");
        assertThat(artifact("MigrateFunction").environmentVariablesRead(MIGRATE_HANDLER))
                .isEmpty();
    }

    @Test
    void theReadAndProposeFunctions_readOnlyTheirOwnVariables_serveTheirRoutes_andCallOnlyTheDataApi() {
        FunctionArtifact read = artifact("ReadFunction");
        FunctionArtifact propose = artifact("ProposeFunction");

        // AWS_LAMBDA_INITIALIZATION_TYPE: Lambda's own, read to register SnapStart priming only for a snapshot;
        // AWS_LAMBDA_LOG_FORMAT/LEVEL: Lambda's own, from LoggingConfig, honoured by the log line
        // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: Lambda's own, the role's credentials
        assertThat(read.environmentVariablesRead(READ_HANDLER)).containsExactly("APPROVER_GROUP", "AWS_ACCESS_KEY_ID",
                "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_LOG_LEVEL", "AWS_REGION",
                "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "CURSOR_SIGNING_KEY", "DATA_API_ENDPOINT",
                "DB_CLUSTER_ARN", "DB_NAME", "DB_SECRET_ARN");
        assertThat(propose.environmentVariablesRead(PROPOSE_HANDLER)).containsExactly("AWS_ACCESS_KEY_ID",
                "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_LOG_LEVEL", "AWS_REGION",
                "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DATA_API_ENDPOINT", "DB_CLUSTER_ARN", "DB_NAME",
                "DB_SECRET_ARN", "EVENTS_ENDPOINT", "EVENT_BUS_NAME", "PROPOSER_GROUP");
        assertThat(read.routesReferencedBy(READ_HANDLER)).containsExactly("GET /approvals", "GET /approvals/{id}");
        assertThat(propose.routesReferencedBy(PROPOSE_HANDLER)).containsExactly("POST /approvals");
        assertThat(read.decisionMadeBy(READ_HANDLER)).isEmpty();
        assertThat(read.iamActionsCalled(READ_HANDLER)).containsExactly("rds-data:ExecuteStatement");
        assertThat(propose.iamActionsCalled(PROPOSE_HANDLER)).containsExactly("events:PutEvents",
                "rds-data:ExecuteStatement");
    }

    @Test
    void theWorkflowFunction_readsOnlyItsOwnVariables_servesNoRoute_andCallsTheDataApiAndTheCallbacks() {
        FunctionArtifact workflow = artifact("WorkflowFunction");

        assertThat(workflow.environmentVariablesRead(WORKFLOW_HANDLER)).containsExactly("AUTO_APPROVED_ACTION_TYPES",
                "AWS_ACCESS_KEY_ID", "AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_LOG_LEVEL", "AWS_REGION",
                "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DATA_API_ENDPOINT", "DB_CLUSTER_ARN", "DB_NAME",
                "DB_SECRET_ARN", "EVENTS_ENDPOINT", "EVENT_BUS_NAME", "STEP_FUNCTIONS_ENDPOINT");
        assertThat(workflow.routesReferencedBy(WORKFLOW_HANDLER)).isEmpty();
        assertThat(workflow.decisionMadeBy(WORKFLOW_HANDLER)).isEmpty();
        assertThat(workflow.iamActionsCalled(WORKFLOW_HANDLER)).containsExactly("events:PutEvents",
                "rds-data:ExecuteStatement", "states:SendTaskFailure", "states:SendTaskSuccess");
    }

    @Test
    void theEventFunctions_readOnlyTheirOwnVariables_serveNoRoute_andCallOnlyWhatTheyAreGranted() {
        FunctionArtifact executor = artifact("ExecuteActionFunction");
        FunctionArtifact outbox = artifact("OutboxFunction");

        assertThat(executor.environmentVariablesRead(EXECUTE_HANDLER)).containsExactly("ACTION_WEBHOOK_URL",
                "AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DATA_API_ENDPOINT",
                "DB_CLUSTER_ARN", "DB_NAME", "DB_SECRET_ARN");
        assertThat(executor.iamActionsCalled(EXECUTE_HANDLER)).as("no bus, no callbacks")
                .containsExactly("rds-data:ExecuteStatement");
        assertThat(outbox.environmentVariablesRead(OUTBOX_HANDLER)).containsExactly("AWS_ACCESS_KEY_ID", "AWS_REGION",
                "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DATA_API_ENDPOINT", "DB_CLUSTER_ARN", "DB_NAME",
                "DB_SECRET_ARN", "EVENTS_ENDPOINT", "EVENT_BUS_NAME", "SWEEP_AFTER_SECONDS");
        assertThat(outbox.iamActionsCalled(OUTBOX_HANDLER)).containsExactly("events:PutEvents",
                "rds-data:ExecuteStatement");
        assertThat(executor.routesReferencedBy(EXECUTE_HANDLER)).isEmpty();
        assertThat(outbox.routesReferencedBy(OUTBOX_HANDLER)).isEmpty();
        assertThat(artifact("ApproveFunction").iamActionsCalled(APPROVE_HANDLER)).contains("events:PutEvents");
        assertThat(artifact("ReadFunction").iamActionsCalled(READ_HANDLER)).doesNotContain("events:PutEvents");
    }

    @Test
    void theInboxFunction_readsOnlyItsSignInSettings_servesThePageRoutes_andCallsNoAwsService() {
        FunctionArtifact inbox = artifact("InboxFunction");

        assertThat(inbox.environmentVariablesRead(INBOX_HANDLER)).containsExactly("SIGN_IN_AUTHORIZATION_ENDPOINT",
                "SIGN_IN_CLIENT_ID", "SIGN_IN_SCOPES", "SIGN_IN_TOKEN_ENDPOINT");
        assertThat(inbox.routesReferencedBy(INBOX_HANDLER)).containsExactly("GET /", "GET /inbox/{file}");
        assertThat(inbox.pageRouteKeys()).containsExactly("GET /", "GET /inbox/{file}");
        assertThat(artifact("ReadFunction").pageRouteKeys()).isEmpty();
        assertThat(inbox.iamActionsCalled(INBOX_HANDLER)).isEmpty();
        assertThat(inbox.resourceTexts("inbox")).as("the page, packaged").anySatisfy(text ->
                assertThat(text).startsWith("<!doctype html>"));
    }

    @Nested
    class HandlerRule {

        @Test
        void aHandlerClassMissingFromTheArtifact_breaksIt() {
            List<String> violations = introducedBy(t -> properties(t, "ApproveFunction")
                    .put("Handler", "dev.approvals.functions.approve.ApprovalHandler::handleRequest"),
                    TemplateContract::handlers);

            assertThat(violations).containsExactly("ApproveFunction: Handler dev.approvals.functions.approve."
                    + "ApprovalHandler::handleRequest: class dev.approvals.functions.approve.ApprovalHandler is not in "
                    + zipOf("functions/approve"));
        }

        @Test
        void aHandlerFromAnotherModule_breaksIt() {
            List<String> violations = introducedBy(t -> properties(t, "ApproveFunction")
                    .put("Handler", "dev.approvals.functions.reject.RejectHandler::handleRequest"),
                    TemplateContract::handlers);

            assertThat(violations).singleElement().asString()
                    .contains("class dev.approvals.functions.reject.RejectHandler is not in", "functions/approve");
        }

        @Test
        void aMissingHandlerMethod_breaksIt() {
            List<String> violations = introducedBy(t -> properties(t, "RejectFunction")
                    .put("Handler", "dev.approvals.functions.reject.RejectHandler::handle"),
                    TemplateContract::handlers);

            assertThat(violations).singleElement().asString()
                    .endsWith("class dev.approvals.functions.reject.RejectHandler has no public method handle");
        }

        @Test
        void aCodeUriThatBuildsNothing_breaksIt() {
            List<String> violations = introducedBy(t -> properties(t, "MigrateFunction")
                    .put("CodeUri", "functions/nothing-here"), TemplateContract::handlers);

            assertThat(violations).singleElement().asString()
                    .startsWith("MigrateFunction: no built artifact at ").contains("functions/nothing-here");
        }
    }

    @Nested
    class EnvironmentRule {

        @Test
        void aVariableTheCodeReadsButTheTemplateLacks_breaksIt() {
            List<String> violations = introducedBy(t -> variables(t, "ApproveFunction").remove("DB_NAME"),
                    TemplateContract::environment);

            assertThat(violations).containsExactly(
                    "ApproveFunction: the code reads DB_NAME but the template does not declare it");
        }

        @Test
        void aVariableNothingReads_breaksIt() {
            List<String> violations = introducedBy(t -> variables(t, "RejectFunction")
                    .put("UNUSED_SETTING", "x"), TemplateContract::environment);

            assertThat(violations).containsExactly(
                    "RejectFunction: declares UNUSED_SETTING but nothing its handler reaches in function.zip of "
                            + "functions/reject reads it");
        }

        /** Every function's zip holds the whole shared library; each declares only what its own handler reads. */
        @Test
        void aVariableOfAnotherFunctionInTheSameLibrary_isNotReadByThisOne() {
            List<String> violations = introducedBy(t -> variables(t, "WorkflowFunction").put("APPROVER_GROUP", ""),
                    TemplateContract::environment);

            assertThat(violations).containsExactly("WorkflowFunction: declares APPROVER_GROUP but nothing its handler "
                    + "reaches in function.zip of functions/workflow reads it");
        }

        @Test
        void codeReadingAVariableByName_isFound_soTheRuleCannotBeBypassed(@TempDir Path work) throws IOException {
            Path zip = work.resolve("function.zip");
            String entry = ReadsVariableDirectly.class.getName().replace('.', '/') + ".class";
            try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip));
                 var in = ReadsVariableDirectly.class.getClassLoader().getResourceAsStream(entry)) {
                out.putNextEntry(new java.util.zip.ZipEntry(entry));
                in.transferTo(out);
            }

            try (FunctionArtifact artifact = FunctionArtifact.open(zip, Files.createDirectory(work.resolve("unpacked")))) {
                assertThat(artifact.classesReadingVariablesDirectly()).containsExactly(ReadsVariableDirectly.class.getName());
            }
            assertThat(artifact("ApproveFunction").classesReadingVariablesDirectly()).isEmpty();
        }

        @Test
        void aVariableOnlyAnotherFunctionReads_breaksIt() {
            List<String> violations = introducedBy(t -> variables(t, "ApproveFunction")
                    .put("CURSOR_SIGNING_KEY", "x".repeat(64)), TemplateContract::environment);

            assertThat(violations).containsExactly("ApproveFunction: declares CURSOR_SIGNING_KEY but nothing its "
                    + "handler reaches in function.zip of functions/approve reads it");
        }

        @Test
        void theInboxFunctionWithoutItsTokenEndpoint_breaksIt() {
            List<String> violations = introducedBy(t -> variables(t, "InboxFunction").remove("SIGN_IN_TOKEN_ENDPOINT"),
                    TemplateContract::environment);

            assertThat(violations).containsExactly(
                    "InboxFunction: the code reads SIGN_IN_TOKEN_ENDPOINT but the template does not declare it");
        }

        @Test
        void theReadFunctionWithoutItsCursorKey_breaksIt() {
            List<String> violations = introducedBy(t -> variables(t, "ReadFunction").remove("CURSOR_SIGNING_KEY"),
                    TemplateContract::environment);

            assertThat(violations).containsExactly(
                    "ReadFunction: the code reads CURSOR_SIGNING_KEY but the template does not declare it");
        }

        @Test
        void aVariableLambdaSetsItself_breaksIt() {
            List<String> violations = introducedBy(t -> variables(t, "RejectFunction")
                    .put("AWS_REGION", "eu-west-1"), TemplateContract::environment);

            assertThat(violations).containsExactly("RejectFunction: declares AWS_REGION, which Lambda sets itself");
        }
    }

    @Nested
    class RouteRule {

        @Test
        void aRouteToTheWrongPath_breaksIt() {
            List<String> violations = introducedBy(t -> eventProperties(t, "ApproveFunction", "Approve")
                    .put("Path", "/approvals/{id}/accept"), TemplateContract::routes);

            assertThat(violations).containsExactlyInAnyOrder(
                    "ApproveFunction: dev.approvals.functions.approve.ApproveHandler makes the APPROVE decision but "
                            + "the template routes no POST /approvals/{id}/approve to it",
                    "ApproveFunction: route POST /approvals/{id}/accept has no handler path for it in "
                            + "dev.approvals.functions.approve.ApproveHandler (it serves POST /approvals/{id}/approve)",
                    "the code's APPROVE decision has no function with route POST /approvals/{id}/approve in "
                            + "the template");
        }

        @Test
        void aDecisionWithoutRoute_breaksIt() {
            List<String> violations = introducedBy(t -> properties(t, "RejectFunction").remove("Events"),
                    TemplateContract::routes);

            assertThat(violations).containsExactlyInAnyOrder(
                    "RejectFunction: dev.approvals.functions.reject.RejectHandler makes the REJECT decision but the "
                            + "template routes no POST /approvals/{id}/reject to it",
                    "the code's REJECT decision has no function with route POST /approvals/{id}/reject in "
                            + "the template");
        }

        @Test
        void aReadRouteMissing_breaksIt() {
            List<String> violations = introducedBy(t -> map(properties(t, "ReadFunction"), "Events").remove("List"),
                    TemplateContract::routes);

            assertThat(violations).containsExactlyInAnyOrder(
                    "ReadFunction: " + READ_HANDLER + " serves GET /approvals but the template routes no GET /approvals to it",
                    "the code's route GET /approvals has no function serving it in the template");
        }

        @Test
        void theProposeRouteSentToTheReadFunction_breaksIt() {
            List<String> violations = introducedBy(t -> eventProperties(t, "ReadFunction", "List").put("Method", "POST"),
                    TemplateContract::routes);

            assertThat(violations).contains(
                    "route POST /approvals is sent to both ReadFunction and ProposeFunction",
                    "ReadFunction: route POST /approvals has no handler path for it in " + READ_HANDLER
                            + " (it serves GET /approvals, GET /approvals/{id})");
        }

        @Test
        void aPageRouteMissing_breaksIt() {
            List<String> violations = introducedBy(t -> map(properties(t, "InboxFunction"), "Events")
                    .remove("PageFile"), TemplateContract::routes);

            assertThat(violations).containsExactlyInAnyOrder(
                    "InboxFunction: " + INBOX_HANDLER + " serves GET /inbox/{file} but the template routes no "
                            + "GET /inbox/{file} to it",
                    "the code's route GET /inbox/{file} has no function serving it in the template");
        }

        @Test
        void aRouteToAFunctionThatServesNone_breaksIt() {
            List<String> violations = introducedBy(t -> properties(t, "MigrateFunction").put("Events",
                    Map.of("Migrate", Map.of("Type", "HttpApi", "Properties", Map.of(
                            "ApiId", Map.of("Ref", "ApprovalsApi"), "Method", "POST", "Path", "/migrate")))),
                    TemplateContract::routes);

            assertThat(violations).containsExactly("MigrateFunction: route POST /migrate has no handler path for it "
                    + "in dev.approvals.functions.migrate.MigrateHandler (it serves no HTTP route)");
        }
    }

    @Nested
    class AuthorizationRule {

        @Test
        void anApiRouteWithoutTheAuthorizer_breaksIt() {
            List<String> violations = introducedBy(t -> eventProperties(t, "ApproveFunction", "Approve")
                    .put("Auth", Map.of("Authorizer", "NONE")), TemplateContract::authorization);

            assertThat(violations).containsExactly("ApproveFunction: route POST /approvals/{id}/approve has no "
                    + "authorizer; only the page's routes may be reached without a verified caller");
        }

        @Test
        void anApiWithoutADefaultAuthorizer_leavesARouteWithoutItsOwnAuthOpen_andBreaksIt() {
            List<String> violations = introducedBy(t -> {
                map(properties(t, "ApprovalsApi"), "Auth").remove("DefaultAuthorizer");
                eventProperties(t, "ApproveFunction", "Approve").remove("Auth");
            }, TemplateContract::authorization);

            assertThat(violations).containsExactly("ApproveFunction: route POST /approvals/{id}/approve has no "
                    + "authorizer; only the page's routes may be reached without a verified caller");
        }

        @Test
        void aRouteWithoutScopes_orADecisionWithoutTheDecideScope_breaksIt() {
            List<String> violations = introducedBy(t -> {
                map(eventProperties(t, "ReadFunction", "List"), "Auth").remove("AuthorizationScopes");
                map(eventProperties(t, "RejectFunction", "Reject"), "Auth")
                        .put("AuthorizationScopes", List.of(Map.of("Ref", "ReadScope")));
            }, TemplateContract::authorization);

            assertThat(violations).containsExactlyInAnyOrder(
                    "ReadFunction: route GET /approvals requires no scope; any token from the issuer (an ID token "
                            + "too) would pass",
                    "RejectFunction: route POST /approvals/{id}/reject decides: it must require exactly the "
                            + "DecideScope parameter");
        }

        @Test
        void thePageBehindTheAuthorizer_breaksIt() {
            List<String> violations = introducedBy(t -> eventProperties(t, "InboxFunction", "Page").remove("Auth"),
                    TemplateContract::authorization);

            assertThat(violations).containsExactly("InboxFunction: route GET / is behind JwtAuthorizer, but the "
                    + "browser loads the page before anyone signs in (give it Auth: Authorizer: NONE)");
        }
    }

    @Nested
    class DatabaseSecretRule {

        /** The master secret RDS manages and rotates ({@code ManageMasterUserPassword}). */
        private static final Map<String, Object> MASTER_SECRET =
                Map.of("Fn::GetAtt", List.of("DatabaseCluster", "MasterUserSecret.SecretArn"));

        @Test
        void theMigrationReadingTheMasterSecret_keepsTheRule_butAFunctionReadingItToo_breaksIt() {
            List<String> violations = introducedBy(t -> statement(t, "ReadFunction", 1).put("Resource",
                    List.of(Map.of("Ref", "ReaderDatabaseSecret"), MASTER_SECRET)), TemplateContract::databaseSecrets);

            assertThat(violations).containsExactly("ReadFunction: may read the secrets [DatabaseCluster, "
                    + "ReaderDatabaseSecret] through IAM; it needs exactly its own, ReaderDatabaseSecret");
        }

        @Test
        void twoFunctionsSharingARole_breaksIt() {
            List<String> violations = introducedBy(t -> variables(t, "ReadFunction")
                    .put("DB_SECRET_ARN", Map.of("Ref", "ApproverDatabaseSecret")), TemplateContract::databaseSecrets);

            assertThat(violations).containsExactlyInAnyOrder(
                    "ApproveFunction and ReadFunction share the database secret ApproverDatabaseSecret; each needs a "
                            + "role of its own",
                    "ReadFunction: may read the secrets [ReaderDatabaseSecret] through IAM; it needs exactly its "
                            + "own, ApproverDatabaseSecret",
                    "SchemaMigration: RoleSecretArns names ReaderDatabaseSecret, which no function or state machine uses");
        }

        @Test
        void aFunctionOnTheMasterSecret_breaksIt() {
            List<String> violations = introducedBy(t -> {
                variables(t, "ProposeFunction").put("DB_SECRET_ARN", MASTER_SECRET);
                statement(t, "ProposeFunction", 1).put("Resource", MASTER_SECRET);
            }, TemplateContract::databaseSecrets);

            assertThat(violations).contains("ProposeFunction: uses DatabaseCluster, the cluster's master secret; give "
                    + "it a secret of its own database role");
        }

        @Test
        void theStateMachineOnTheMasterSecret_breaksIt() {
            List<String> violations = introducedBy(t -> map(properties(t, "ApprovalFlow"), "DefinitionSubstitutions")
                    .put("DatabaseSecretArn", MASTER_SECRET), TemplateContract::databaseSecrets);

            assertThat(violations).contains("ApprovalFlow: uses DatabaseCluster, the cluster's master secret; give it "
                    + "a secret of its own database role");
        }

        @Test
        void aSecretNamingARoleNoMigrationCreates_breaksIt() {
            List<String> violations = introducedBy(t -> map(properties(t, "ReaderDatabaseSecret"), "GenerateSecretString")
                    .put("SecretStringTemplate", "{\"username\": \"approvals_superuser\"}"), TemplateContract::databaseSecrets);

            assertThat(violations).singleElement().asString().startsWith(
                    "ReaderDatabaseSecret: names the user approvals_superuser, which no packaged migration creates");
        }

        @Test
        void aRoleWhosePasswordTheMigrationNeverSets_breaksIt() {
            List<String> violations = introducedBy(t -> ((List<?>) properties(t, "SchemaMigration").get("RoleSecretArns"))
                    .remove(Map.of("Ref", "WorkflowDatabaseSecret")), TemplateContract::databaseSecrets);

            assertThat(violations).containsExactlyInAnyOrder(
                    "SchemaMigration: RoleSecretArns lacks WorkflowDatabaseSecret, so the password of its role would "
                            + "never be set",
                    "MigrateFunction: may read the secrets [ApproverDatabaseSecret, DatabaseCluster, "
                            + "ExecutorDatabaseSecret, ProposerDatabaseSecret, PublisherDatabaseSecret, "
                            + "ReaderDatabaseSecret, RejecterDatabaseSecret, WorkflowDatabaseSecret]"
                            + " through IAM; the migration needs exactly the master secret and the role secrets, "
                            + "[ApproverDatabaseSecret, DatabaseCluster, ExecutorDatabaseSecret, ProposerDatabaseSecret, "
                            + "PublisherDatabaseSecret, ReaderDatabaseSecret, RejecterDatabaseSecret]");
        }

        @Test
        void aFunctionReadingAnotherRolesSecret_breaksIt() {
            List<String> violations = introducedBy(t -> statement(t, "RejectFunction", 1).put("Resource",
                    List.of(Map.of("Ref", "RejecterDatabaseSecret"), Map.of("Ref", "ApproverDatabaseSecret"))),
                    TemplateContract::databaseSecrets);

            assertThat(violations).containsExactly("RejectFunction: may read the secrets [ApproverDatabaseSecret, "
                    + "RejecterDatabaseSecret] through IAM; it needs exactly its own, RejecterDatabaseSecret");
        }
    }

    @Nested
    class IamActionRule {

        @Test
        void anActionTheCodeNeverCalls_breaksIt() {
            List<String> violations = introducedBy(t -> statement(t, "ApproveFunction", 0).put("Action",
                    new ArrayList<>(List.of("rds-data:ExecuteStatement", "rds-data:BatchExecuteStatement"))),
                    TemplateContract::iamActions);

            assertThat(violations).containsExactly(
                    "ApproveFunction: grants rds-data:BatchExecuteStatement, which the code never calls");
        }

        @Test
        void anActionTheCodeCallsButIsNotGranted_breaksIt() {
            List<String> violations = introducedBy(t -> ((List<?>) statement(t, "MigrateFunction", 0)
                    .get("Action")).remove("rds-data:BeginTransaction"), TemplateContract::iamActions);

            assertThat(violations).containsExactly(
                    "MigrateFunction: the code calls rds-data:BeginTransaction but the template does not grant it");
        }

        @Test
        void theSecretTheDataApiReadsAsTheCaller_isRequired() {
            List<String> violations = introducedBy(t -> statements(t, "RejectFunction").remove(1),
                    TemplateContract::iamActions);

            assertThat(violations).containsExactly("RejectFunction: the code calls secretsmanager:GetSecretValue "
                    + "(implied by its Data API calls) but the template does not grant it");
        }

        @Test
        void aWildcardAction_breaksIt() {
            List<String> violations = introducedBy(t -> statement(t, "ApproveFunction", 0)
                    .put("Action", "rds-data:*"), TemplateContract::iamActions);

            assertThat(violations).containsExactlyInAnyOrder(
                    "ApproveFunction: grants rds-data:*, which the code never calls",
                    "ApproveFunction: the code calls rds-data:ExecuteStatement but the template does not grant it");
        }

        @Test
        void aManagedOrTemplatePolicy_breaksIt() {
            List<String> violations = introducedBy(t -> policies(t, "ApproveFunction")
                    .add("AmazonRDSDataFullAccess"), TemplateContract::iamActions);

            assertThat(violations).singleElement().asString().startsWith(
                    "ApproveFunction: policy AmazonRDSDataFullAccess is a managed policy or SAM policy template");
        }
    }

    @Nested
    class PolicyResourceRule {

        @Test
        void aStarResource_breaksIt() {
            List<String> violations = introducedBy(t -> statement(t, "ApproveFunction", 0).put("Resource", "*"),
                    TemplateContract::policyResources);

            assertThat(violations).singleElement().asString().startsWith(
                    "ApproveFunction: rds-data:ExecuteStatement on *: a wildcard resource");
        }

        @Test
        void aWildcardInsideAnArn_breaksIt() {
            List<String> violations = introducedBy(t -> statement(t, "MigrateFunction", 0).put("Resource",
                    Map.of("Fn::Sub", "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:*")),
                    TemplateContract::policyResources);

            assertThat(violations).hasSize(4).allSatisfy(v -> assertThat(v).contains("a wildcard resource"));
        }

        @Test
        void aLiteralArn_isOutsideTheStack() {
            List<String> violations = introducedBy(t -> statement(t, "RejectFunction", 1).put("Resource",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:someone-elses-AbCdEf"),
                    TemplateContract::policyResources);

            assertThat(violations).singleElement().asString()
                    .startsWith("RejectFunction: secretsmanager:GetSecretValue on arn:aws:secretsmanager:")
                    .endsWith(": outside this stack (name a resource of this template with !Ref or !GetAtt)");
        }

        @Test
        void aParameter_isOutsideTheStack() {
            List<String> violations = introducedBy(t -> statement(t, "RejectFunction", 0).put("Resource",
                    Map.of("Fn::Sub", "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:"
                            + "${DatabaseName}")), TemplateContract::policyResources);

            assertThat(violations).singleElement().asString().contains("outside this stack");
        }

        @Test
        void anotherKindOfResourceOfTheStack_breaksIt() {
            List<String> violations = introducedBy(t -> statement(t, "ApproveFunction", 1)
                    .put("Resource", Map.of("Fn::GetAtt", List.of("DatabaseCluster", "DBClusterArn"))),
                    TemplateContract::policyResources);

            assertThat(violations).singleElement().asString().endsWith(": DatabaseCluster is a AWS::RDS::DBCluster, "
                    + "not the AWS::SecretsManager::Secret that secretsmanager actions act on");
        }
    }

    @Nested
    class TimeoutRule {

        @Test
        void aGlobalTimeoutOf30Seconds_breaksItForTheApiFunctionsOnly() {
            List<String> violations = introducedBy(t -> globalFunction(t).put("Timeout", 30),
                    TemplateContract::apiTimeouts);

            assertThat(violations).containsExactlyInAnyOrder(
                    "ApproveFunction: Timeout 30 s is not below the HTTP API's 30 s",
                    "RejectFunction: Timeout 30 s is not below the HTTP API's 30 s",
                    "ReadFunction: Timeout 30 s is not below the HTTP API's 30 s",
                    "ProposeFunction: Timeout 30 s is not below the HTTP API's 30 s",
                    "InboxFunction: Timeout 30 s is not below the HTTP API's 30 s");
        }

        @Test
        void aFunctionTimeoutFromAParameterDefault_isChecked() {
            List<String> violations = introducedBy(t -> {
                parameters(t).put("FunctionTimeout", new LinkedHashMap<>(Map.of("Type", "Number", "Default", 30)));
                properties(t, "RejectFunction").put("Timeout", Map.of("Ref", "FunctionTimeout"));
            }, TemplateContract::apiTimeouts);

            assertThat(violations).containsExactly("RejectFunction: Timeout 30 s is not below the HTTP API's 30 s");
        }
    }

    @Nested
    class SnapStartRule {

        @Test
        void snapStartWithoutAnAlias_breaksIt() {
            List<String> violations = introducedBy(t -> globalFunction(t).remove("AutoPublishAlias"),
                    TemplateContract::snapStart);

            // The decision functions keep their own alias `http` (their API entry path, docs/security.md).
            assertThat(violations).containsExactlyInAnyOrder(
                    "ReadFunction: SnapStart is on but AutoPublishAlias is not set, so its callers would "
                            + "invoke $LATEST, which SnapStart never applies to",
                    "ProposeFunction: SnapStart is on but AutoPublishAlias is not set, so its callers would "
                            + "invoke $LATEST, which SnapStart never applies to",
                    "WorkflowFunction: SnapStart is on but AutoPublishAlias is not set, so its callers would "
                            + "invoke $LATEST, which SnapStart never applies to",
                    "InboxFunction: SnapStart is on but AutoPublishAlias is not set, so its callers would "
                            + "invoke $LATEST, which SnapStart never applies to",
                    "ExecuteActionFunction: SnapStart is on but AutoPublishAlias is not set, so its callers would "
                            + "invoke $LATEST, which SnapStart never applies to",
                    "OutboxFunction: SnapStart is on but AutoPublishAlias is not set, so its callers would "
                            + "invoke $LATEST, which SnapStart never applies to");
        }
    }

    @Nested
    class StateMachineRule {

        @Test
        void aSubstitutionTheDefinitionNeverUses_breaksIt() {
            List<String> violations = introducedBy(t -> substitutions(t).put("Unused", "x"),
                    TemplateContract::stateMachines);

            assertThat(violations).containsExactly(
                    "ApprovalFlow: DefinitionSubstitutions defines Unused but the definition never uses it");
        }

        @Test
        void aVariableWithoutSubstitution_breaksIt() {
            List<String> violations = introducedByDefinition(
                    asl -> taskParameters(asl, "ExpireApproval").put("Database", "${DatabaseNameTypo}"),
                    TemplateContract::stateMachines);

            assertThat(violations).containsExactly(
                    "ApprovalFlow: the definition uses ${DatabaseNameTypo} but DefinitionSubstitutions does not define it");
        }

        @Test
        void errorNamesThatCanNeverBeThrown_breakIt() {
            List<String> violations = introducedByDefinition(asl -> catchErrors(asl, "AutoApprove").addAll(List.of(
                            "dev.approvals.errors.NoSuchException", "com.example.ApprovalConflictException",
                            "dev.approvals.errors.ApprovalConflictException", "dev.approvals.errors.Outer$Inner",
                            "dev.approvals.errors.package-info")),
                    TemplateContract::stateMachines);

            assertThat(violations).hasSize(5).allMatch(v -> v.startsWith("ApprovalFlow: state AutoApprove Catch matches "));
            assertThat(String.join("\n", violations)).contains(
                    "NoSuchException, which is not a class in function.zip",
                    "com.example.ApprovalConflictException, which is neither a Step Functions error",
                    "errors.ApprovalConflictException, an abstract class",
                    "Outer$Inner, a nested class name",
                    "package-info, which is not an exception class");
        }

        @Test
        void aTransitionToAMissingState_breaksIt() {
            List<String> violations = introducedByDefinition(asl -> state(asl, "ChooseApprover").put("Default", "Nowhere"),
                    TemplateContract::stateMachines);

            assertThat(violations).containsExactly(
                    "ApprovalFlow: state ChooseApprover goes to Nowhere, which is not a state");
        }

        @Test
        void anActionATaskCallsButIsNotGranted_breaksIt() {
            List<String> violations = introducedBy(t -> statements(t, "ApprovalFlow").remove(0),
                    TemplateContract::stateMachines);

            assertThat(violations).containsExactly(
                    "ApprovalFlow: its tasks call lambda:InvokeFunction but the template does not grant it");
        }

        @Test
        void aGrantNoTaskCalls_breaksIt() {
            List<String> violations = introducedBy(t -> statement(t, "ApprovalFlow", 0)
                    .put("Action", List.of("lambda:InvokeFunction", "rds-data:ExecuteStatement")),
                    TemplateContract::stateMachines);

            assertThat(violations).containsExactly(
                    "ApprovalFlow: grants rds-data:ExecuteStatement, which none of its tasks calls");
        }

        /** A SQL error or a refusal gives the same answer every time: retrying it only delays the failure. */
        @Test
        void retryingAnErrorThatIsNotTransient_breaksIt() {
            List<String> violations = introducedByDefinition(asl -> retryErrors(asl, "ExpireApproval")
                            .addAll(List.of("States.TaskFailed", "dev.approvals.errors.DecisionFailedException")),
                    TemplateContract::stateMachines);

            assertThat(violations).containsExactly(
                    "ApprovalFlow: state ExpireApproval retries States.TaskFailed, which is not a transient error "
                            + "(TRANSIENT_ERRORS): the same call fails the same way again",
                    "ApprovalFlow: state ExpireApproval retries dev.approvals.errors.DecisionFailedException, which is "
                            + "not a transient error (TRANSIENT_ERRORS): the same call fails the same way again");
        }

        @Test
        void anUnboundedRetry_breaksIt() {
            List<String> violations = introducedByDefinition(asl -> {
                        retrier(asl, "AwaitDecision").remove("MaxDelaySeconds");
                        retrier(asl, "AwaitDecision").put("MaxAttempts", 50);
                    }, TemplateContract::stateMachines);

            assertThat(violations).containsExactly(
                    "ApprovalFlow: state AwaitDecision retries 50 times, more than 10",
                    "ApprovalFlow: state AwaitDecision backs off without a MaxDelaySeconds of at most 60");
        }

        @Test
        void invokingTheFunctionInsteadOfItsAlias_breaksIt() {
            List<String> violations = introducedBy(t -> substitutions(t).put("ApproveFunctionAlias",
                            Map.of("Fn::GetAtt", List.of("ApproveFunction", "Arn"))),
                    TemplateContract::stateMachines);

            assertThat(violations).singleElement().asString()
                    .startsWith("ApprovalFlow: state AutoApprove invokes ${ApproveFunctionAlias}, not a function alias");
        }

        @Test
        void aStarResourceInTheStateMachinePolicy_breaksTheResourceRule() {
            List<String> violations = introducedBy(t -> statement(t, "ApprovalFlow", 0).put("Resource", "*"),
                    TemplateContract::policyResources);

            assertThat(violations).containsExactly("ApprovalFlow: lambda:InvokeFunction on *: a wildcard resource "
                    + "(allowed only for the actions listed in ACTIONS_ALLOWED_ON_ANY_RESOURCE)");
        }

        private static Map<String, Object> substitutions(Map<String, Object> t) {
            return map(properties(t, "ApprovalFlow"), "DefinitionSubstitutions");
        }

        private static Map<String, Object> state(Map<String, Object> asl, String name) {
            return map(map(asl, "States"), name);
        }

        private static Map<String, Object> taskParameters(Map<String, Object> asl, String name) {
            return map(state(asl, name), "Parameters");
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> retrier(Map<String, Object> asl, String name) {
            return (Map<String, Object>) ((List<Object>) state(asl, name).get("Retry")).getFirst();
        }

        @SuppressWarnings("unchecked")
        private static List<Object> retryErrors(Map<String, Object> asl, String name) {
            return (List<Object>) retrier(asl, name).get("ErrorEquals");
        }

        @SuppressWarnings("unchecked")
        private static List<Object> catchErrors(Map<String, Object> asl, String name) {
            return (List<Object>) ((Map<String, Object>) ((List<Object>) state(asl, name).get("Catch")).getFirst())
                    .get("ErrorEquals");
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** The violations of {@code rule} that a deliberate change to a copy of the real template introduces. */
    private static List<String> introducedBy(Consumer<Map<String, Object>> change,
                                             Function<TemplateContract, List<String>> rule) {
        List<String> introduced = new ArrayList<>(rule.apply(contract(broken(change))));
        introduced.removeAll(rule.apply(contract(template)));
        return introduced;
    }

    private static TemplateContract contract(SamTemplate candidate) {
        return contract(candidate, TemplateContractIT::definition);
    }

    private static TemplateContract contract(SamTemplate candidate, Function<String, Map<String, Object>> definitions) {
        return new TemplateContract(candidate, codeUri -> Optional.ofNullable(ARTIFACTS.get(codeUri)),
                TemplateContractIT::zipOf, definitions);
    }

    /** A state machine's ASL file, parsed (JSON is YAML). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> definition(String uri) {
        try {
            return (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(Files.readString(Repository.root().resolve(uri)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The violations of {@code rule} that a deliberate change to a copy of the real ASL definition introduces. */
    private static List<String> introducedByDefinition(Consumer<Map<String, Object>> change,
                                                       Function<TemplateContract, List<String>> rule) {
        Map<String, Object> copy = deepCopy(definition(STATE_MACHINE_DEFINITION));
        change.accept(copy);
        assertThat(copy).as("the change took effect").isNotEqualTo(definition(STATE_MACHINE_DEFINITION));
        List<String> introduced = new ArrayList<>(rule.apply(contract(template, uri -> copy)));
        introduced.removeAll(rule.apply(contract(template)));
        return introduced;
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }

    private static Path zipOf(String codeUri) {
        return Repository.root().resolve(codeUri).resolve("target").resolve("function.zip");
    }

    private static FunctionArtifact artifact(String functionId) {
        String codeUri = template.function(functionId).codeUri().orElseThrow();
        FunctionArtifact artifact = ARTIFACTS.get(codeUri);
        assertThat(artifact).as("built artifact of " + codeUri + " (./mvnw verify builds it)").isNotNull();
        return artifact;
    }

    /** A copy of the real template with one deliberate change. */
    private static SamTemplate broken(Consumer<Map<String, Object>> change) {
        Map<String, Object> copy = template.mutableCopy();
        change.accept(copy);
        SamTemplate brokenTemplate = SamTemplate.of(copy);
        assertThat(brokenTemplate.raw()).as("the change took effect").isNotEqualTo(template.raw());
        return brokenTemplate;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    private static Map<String, Object> parameters(Map<String, Object> t) {
        return map(t, "Parameters");
    }

    private static Map<String, Object> globalFunction(Map<String, Object> t) {
        return map(map(t, "Globals"), "Function");
    }

    private static Map<String, Object> properties(Map<String, Object> t, String resource) {
        return map(map(map(t, "Resources"), resource), "Properties");
    }

    private static Map<String, Object> variables(Map<String, Object> t, String function) {
        return map(map(properties(t, function), "Environment"), "Variables");
    }

    private static Map<String, Object> eventProperties(Map<String, Object> t, String function, String event) {
        return map(map(map(properties(t, function), "Events"), event), "Properties");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> policies(Map<String, Object> t, String function) {
        return (List<Object>) properties(t, function).get("Policies");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> statements(Map<String, Object> t, String function) {
        return (List<Object>) ((Map<String, Object>) policies(t, function).getFirst()).get("Statement");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Map<String, Object> t, String function, int index) {
        return (Map<String, Object>) statements(t, function).get(index);
    }

    /** Reads a variable the way the environment rule forbids. */
    static final class ReadsVariableDirectly {
        static String table() {
            return System.getenv("TABLE_NAME");
        }
    }
}
