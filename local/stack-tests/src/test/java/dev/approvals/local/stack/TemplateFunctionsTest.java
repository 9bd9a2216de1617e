package dev.approvals.local.stack;

import dev.approvals.local.apigateway.Route;
import dev.approvals.local.template.IntrinsicResolver;
import dev.approvals.local.template.ResourceValues;
import dev.approvals.local.template.SamTemplate;
import dev.approvals.local.template.TemplateException;
import dev.approvals.local.template.TemplateYaml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** template.yaml read as the local stack runs it (with stand-in code archives). */
class TemplateFunctionsTest {

    private static final String CLUSTER = "arn:aws:rds:eu-west-1:123456789012:cluster:local";
    private static final String SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:local";

    @TempDir
    Path root;

    private static void zip(Path archive) throws Exception {
        Files.createDirectories(archive.getParent());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            zip.putNextEntry(new ZipEntry("dev/Handler.class"));
            zip.write(new byte[] {1, 2, 3});
            zip.putNextEntry(new ZipEntry("lib/dependency.jar"));
            zip.write(new byte[] {4});
            zip.closeEntry();
        }
    }

    private static IntrinsicResolver resolver(SamTemplate template) {
        return IntrinsicResolver.forTemplate(template)
                .pseudoParameter("AWS::Region", "eu-west-1")
                .parameter("DatabaseName", "localdb")
                .parameter("JwtIssuer", "https://issuer")
                .parameter("JwtAudience", "aud")
                .parameter("SignInAuthorizationEndpoint", "https://id.example.com/authorize")
                .parameter("SignInTokenEndpoint", "https://id.example.com/token")
                .resources(ResourceValues.builder()
                        .attributeOfType("AWS::RDS::DBCluster", "DBClusterArn", id -> CLUSTER)
                        .refOfType("AWS::SecretsManager::Secret", id -> SECRET)
                        .refOfType("AWS::Logs::LogGroup", id -> "/aws/lambda/" + id)
                        .refOfType("AWS::Events::EventBus", id -> "approvals")
                        .build())
                .build();
    }

    @Test
    void realTemplate_shouldGiveEachFunctionItsSettingsEnvironmentAndRoutes() throws Exception {
        for (String module : List.of("approve", "reject", "read", "propose", "workflow", "inbox", "execute", "outbox",
                "migrate")) {
            zip(root.resolve("functions").resolve(module).resolve("target/function.zip"));
        }
        SamTemplate template = SamTemplate.read(Stacks.root().resolve("template.yaml"));

        List<TemplateFunctions.TemplateFunction> functions = TemplateFunctions.read(template, root,
                resolver(template), Map.of("DATA_API_ENDPOINT", "http://127.0.0.1:1",
                        "STEP_FUNCTIONS_ENDPOINT", "http://127.0.0.1:2"), root.resolve("code"), "eu-west-1",
                "123456789012");

        assertThat(functions).extracting(f -> f.spec().name())
                .containsExactly("ApproveFunction", "RejectFunction", "ReadFunction", "ProposeFunction",
                        "WorkflowFunction", "InboxFunction", "ExecuteActionFunction", "OutboxFunction",
                        "MigrateFunction");
        assertThat(functions.get(5).routes()).as("the page needs no token")
                .containsExactly(new Route("GET", "/", "InboxFunction", null, List.of(), "live"),
                        new Route("GET", "/inbox/{file}", "InboxFunction", null, List.of(), "live"));
        assertThat(functions.get(5).spec().environment()).containsEntry("SIGN_IN_CLIENT_ID", "aud")
                .containsEntry("SIGN_IN_TOKEN_ENDPOINT", "https://id.example.com/token");
        assertThat(functions.get(2).routes()).extracting(Route::routeKey)
                .containsExactly("GET /approvals/{id}", "GET /approvals");
        assertThat(functions.get(2).spec().environment()).as("dynamic references are left to the caller")
                .containsEntry("CURSOR_SIGNING_KEY", "{{resolve:secretsmanager:" + SECRET + "}}");
        TemplateFunctions.TemplateFunction approve = functions.getFirst();
        assertThat(approve.spec().handler()).isEqualTo("dev.approvals.functions.approve.ApproveHandler::handleRequest");
        assertThat(approve.spec().timeout().toSeconds()).isEqualTo(25);
        assertThat(approve.spec().memorySizeMb()).isEqualTo(1024);
        assertThat(approve.spec().runtime()).isEqualTo("java25");
        assertThat(approve.spec().logFormat()).contains("JSON");
        assertThat(approve.spec().logLevel()).contains("INFO");
        assertThat(approve.spec().environment()).containsEntry("DB_CLUSTER_ARN", CLUSTER)
                .containsEntry("DB_SECRET_ARN", SECRET).containsEntry("DB_NAME", "localdb")
                .containsEntry("DATA_API_ENDPOINT", "http://127.0.0.1:1")
                .containsEntry("STEP_FUNCTIONS_ENDPOINT", "http://127.0.0.1:2")
                .containsEntry("APPROVER_GROUP", "approvers")
                .containsEntry("WORKFLOW_ACTOR", "workflow:auto-approval-policy");
        // The route requires the decide scope (the parameter's default) and invokes the alias `http`.
        assertThat(approve.routes()).containsExactly(new Route("POST", "/approvals/{id}/approve", "ApproveFunction",
                "JwtAuthorizer", List.of("approvals/decide"), "http"));
        assertThat(approve.alias()).contains("http");
        assertThat(approve.aliases()).containsExactly("http", "workflow");
        assertThat(approve.spec().codeDirectory().resolve("dev/Handler.class")).exists();
        assertThat(approve.spec().codeDirectory().resolve("lib/dependency.jar")).exists();
        TemplateFunctions.TemplateFunction workflow = functions.get(4);
        assertThat(workflow.routes()).isEmpty();
        assertThat(workflow.spec().environment()).containsEntry("STEP_FUNCTIONS_ENDPOINT", "http://127.0.0.1:2")
                .containsEntry("AUTO_APPROVED_ACTION_TYPES", "").doesNotContainKey("APPROVER_GROUP");
        TemplateFunctions.TemplateFunction migrate = functions.getLast();
        assertThat(migrate.routes()).isEmpty();
        assertThat(migrate.spec().timeout().toSeconds()).isEqualTo(300);
        assertThat(migrate.spec().environment()).as("only declared variables are set, as with sam --env-vars")
                .doesNotContainKey("DATA_API_ENDPOINT");
    }

    @Test
    void missingCodeArchive_shouldSayHowToBuildIt() {
        SamTemplate template = SamTemplate.read(Stacks.root().resolve("template.yaml"));

        assertThatThrownBy(() -> TemplateFunctions.read(template, root, resolver(template), Map.of(),
                root.resolve("code"), "eu-west-1", "123456789012"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("ApproveFunction")
                .hasMessageContaining("functions/approve/target/function.zip")
                .hasMessageContaining("./mvnw -pl local/stack -am package");
    }

    @Test
    void routeAuthorizer_shouldFollowTheEventThenTheApiDefault() {
        SamTemplate template = SamTemplate.of(TemplateYaml.parse("""
                Globals:
                  HttpApi:
                    Auth:
                      DefaultAuthorizer: Jwt
                      Authorizers:
                        Jwt: {JwtConfiguration: {issuer: x, audience: [y]}}
                        Custom: {FunctionArn: arn:aws:lambda:eu-west-1:1:function:auth}
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties: {}
                """));

        assertThat(TemplateFunctions.jwtAuthorizer(template, Map.of())).isEqualTo("Jwt");
        assertThat(TemplateFunctions.jwtAuthorizer(template, Map.of("Auth", Map.of("Authorizer", "NONE")))).isNull();
        assertThat(TemplateFunctions.jwtAuthorizer(template, Map.of("Auth", Map.of("Authorizer", "Custom"))))
                .as("Lambda authorizers are not emulated").isNull();
        assertThat(TemplateFunctions.jwtAuthorizer(template, Map.of("ApiId", Map.of("Ref", "Api"))))
                .as("the API's own Auth, merged with Globals").isEqualTo("Jwt");
    }

    @Test
    void unpack_shouldRefuseEntriesOutsideTheDirectory() throws Exception {
        Path archive = root.resolve("evil.zip");
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("../escaped.txt"));
            zip.write(1);
        }
        assertThatThrownBy(() -> TemplateFunctions.unpack(archive, root.resolve("into")))
                .hasMessageContaining("outside");
        assertThat(root.resolve("escaped.txt")).doesNotExist();
    }
}
