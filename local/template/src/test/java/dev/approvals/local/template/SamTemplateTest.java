package dev.approvals.local.template;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model over the real template.yaml: what the local stack reads from it. */
class SamTemplateTest {

    private final SamTemplate template = SamTemplate.read(Repository.template());

    @Test
    void functions_areReadWithGlobalsMerged() {
        SamFunction approve = template.function("ApproveFunction");

        assertThat(template.functions()).extracting(SamFunction::logicalId)
                .containsExactly("ApproveFunction", "RejectFunction", "ReadFunction", "ProposeFunction",
                        "WorkflowFunction", "InboxFunction", "ExecuteActionFunction", "OutboxFunction",
                        "MigrateFunction");
        assertThat(approve.handler()).isEqualTo("dev.approvals.functions.approve.ApproveHandler::handleRequest");
        assertThat(approve.codeUri()).contains("functions/approve");
        assertThat(approve.runtime()).contains("java25");
        assertThat(approve.architectures()).containsExactly("arm64");
        assertThat(approve.timeoutSeconds()).isEqualTo(25);
        assertThat(approve.memorySizeMb()).isEqualTo(1024);
        assertThat(approve.snapStartApplyOn()).contains("PublishedVersions");
        // its own alias `http` (the API's entry path, docs/security.md) overrides the global `live`
        assertThat(approve.autoPublishAlias()).contains("http");
        assertThat(approve.property("LoggingConfig")).as("maps merge key by key").isEqualTo(Map.of(
                "LogFormat", "JSON", "ApplicationLogLevel", "INFO", "SystemLogLevel", "WARN",
                "LogGroup", Map.of("Ref", "ApproveFunctionLogGroup")));
    }

    @Test
    void aFunctionsOwnValue_winsOverGlobals() {
        SamFunction migrate = template.function("MigrateFunction");

        assertThat(migrate.timeoutSeconds()).isEqualTo(300);
        assertThat(template.function("InboxFunction").memorySizeMb()).isEqualTo(512);
        assertThat(migrate.snapStartApplyOn()).contains("None");
        assertThat(migrate.httpApiRoutes()).isEmpty();
        assertThat(migrate.environment()).isEmpty();
    }

    @Test
    void routes_andEnvironment_areReadAsWritten() {
        SamFunction reject = template.function("RejectFunction");

        assertThat(reject.httpApiRoutes()).containsExactly(
                new HttpApiRoute("Reject", "POST", "/approvals/{id}/reject", Map.of("Ref", "ApprovalsApi")));
        assertThat(reject.httpApiRoutes().getFirst().routeKey()).isEqualTo("POST /approvals/{id}/reject");
        assertThat(reject.environment()).containsEntry("DB_NAME", Map.of("Ref", "DatabaseName"))
                .containsEntry("DATA_API_ENDPOINT", "")
                .containsEntry("DB_CLUSTER_ARN", Map.of("Fn::GetAtt", List.of("DatabaseCluster", "DBClusterArn")));
    }

    @Test
    void parameters_andResources_areRead() {
        assertThat(template.parameters().get("DatabaseMinCapacity").defaultValue()).contains("0");
        assertThat(template.parameters().get("DeletionProtection").allowedValues()).containsExactly("true", "false");
        assertThat(template.parameters().get("JwtIssuer").defaultValue()).isEmpty();
        assertThat(template.resource("DatabaseCluster").orElseThrow().type()).isEqualTo("AWS::RDS::DBCluster");
        assertThat(template.resource("ApprovalsApi").orElseThrow().type()).isEqualTo("AWS::Serverless::HttpApi");
    }

    @Test
    void globalsMerge_concatenatesLists_andTreatsIntrinsicsAsValues() {
        SamTemplate small = SamTemplate.of(TemplateYaml.parse("""
                Globals:
                  Function:
                    Layers: [global-layer]
                    Timeout: !Ref GlobalTimeout
                    Environment: {Variables: {A: global, B: global}}
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y::z
                      Layers: [own-layer]
                      Timeout: 7
                      Environment: {Variables: {B: own}}
                """));

        SamFunction f = small.function("F");

        assertThat(f.property("Layers")).isEqualTo(List.of("global-layer", "own-layer"));
        assertThat(f.timeoutSeconds()).isEqualTo(7);
        assertThat(f.environment()).isEqualTo(Map.of("A", "global", "B", "own"));
    }

    @Test
    void theTemplateCannotBeChanged_butACopyCan() {
        assertThatThrownBy(() -> template.raw().put("Resources", Map.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        Map<String, Object> copy = template.mutableCopy();
        copy.remove("Outputs");
        assertThat(SamTemplate.of(copy).outputs()).isEmpty();
        assertThat(template.outputs()).containsKey("ApiUrl");
    }

    @Test
    void aFunctionThatDoesNotExist_isAClearError() {
        assertThatThrownBy(() -> template.function("NoSuchFunction"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("NoSuchFunction");
    }
}
