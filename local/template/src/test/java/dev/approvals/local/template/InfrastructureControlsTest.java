package dev.approvals.local.template;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The infrastructure controls of docs/security.md ("Infrastructure controls") as template.yaml declares them: load
 * caps, rotated and encrypted credentials, deletion and replacement policies, backups, logs and the optional reader.
 * Each test reads the real template; cfn-lint (CfnLintIT) and the template contract (TemplateContractIT) check the
 * rest (IAM actions, secrets per role).
 */
class InfrastructureControlsTest {

    private static final Map<String, Object> NO_VALUE = Map.of("Ref", "AWS::NoValue");

    private final SamTemplate template = SamTemplate.read(Repository.template());

    // --- Load caps ------------------------------------------------------------------------------------------

    @Test
    void everyRoute_isThrottled_andProposing_more_byParametersWithDocumentedDefaults() {
        Map<String, Object> api = template.resource("ApprovalsApi").orElseThrow().properties();

        assertThat(api.get("DefaultRouteSettings")).isEqualTo(Map.of(
                "ThrottlingRateLimit", Map.of("Ref", "ApiThrottlingRateLimit"),
                "ThrottlingBurstLimit", Map.of("Ref", "ApiThrottlingBurstLimit")));
        assertThat(api.get("RouteSettings")).isEqualTo(Map.of("POST /approvals", Map.of(
                "ThrottlingRateLimit", Map.of("Ref", "ProposeThrottlingRateLimit"),
                "ThrottlingBurstLimit", Map.of("Ref", "ProposeThrottlingBurstLimit"))));
        assertThat(defaults("ApiThrottlingRateLimit", "ApiThrottlingBurstLimit", "ProposeThrottlingRateLimit",
                "ProposeThrottlingBurstLimit")).containsExactly("50", "100", "10", "20");
        assertThat(routeKeys()).as("a route setting for a route that does not exist fails the deployment")
                .containsAll(((Map<?, ?>) api.get("RouteSettings")).keySet().stream().map(String::valueOf).toList());
    }

    @Test
    void everyFunctionReachingTheDatabase_hasReservedConcurrency_sizedBelowTheSmallestClustersConnections() {
        List<String> capped = new ArrayList<>();
        for (SamFunction function : template.functions()) {
            if (function.environment().containsKey("DB_SECRET_ARN")) {
                assertThat(function.property("ReservedConcurrentExecutions")).as(function.logicalId())
                        .isEqualTo(Map.of("Fn::If", List.of("ReservesConcurrency",
                                Map.of("Ref", "FunctionReservedConcurrency"), NO_VALUE)));
                capped.add(function.logicalId());
            }
        }
        assertThat(capped).containsExactly("ApproveFunction", "RejectFunction", "ReadFunction", "ProposeFunction",
                "WorkflowFunction");
        assertThat(template.conditions().get("ReservesConcurrency")).as("0 reserves nothing (and never throttles all)")
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals",
                        List.of(Map.of("Ref", "FunctionReservedConcurrency"), 0)))));
        int perFunction = Integer.parseInt(defaults("FunctionReservedConcurrency").getFirst());
        // max_connections of Aurora PostgreSQL Serverless v2 at the smallest maximum capacity (1 ACU) is 189.
        assertThat(perFunction * capped.size()).isEqualTo(50).isLessThan(189);
        assertThat(parameter("DatabaseMaxCapacity").get("MinValue")).isEqualTo(1);
    }

    // --- Credentials ----------------------------------------------------------------------------------------

    @Test
    void theMasterPassword_isManagedAndRotatedByRds_andOnlyTheMigrationReadsIt() {
        Map<String, Object> cluster = template.resource("DatabaseCluster").orElseThrow().properties();

        assertThat(cluster).containsEntry("ManageMasterUserPassword", true)
                .containsEntry("MasterUserSecret", Map.of("KmsKeyId", Map.of("Ref", "SecretsKey")))
                .doesNotContainKey("MasterUserPassword");
        assertThat(cluster.get("MasterUsername")).isEqualTo("approvals_admin");
        assertThat(template.resource("SchemaMigration").orElseThrow().properties().get("SecretArn"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("DatabaseCluster", "MasterUserSecret.SecretArn")));
        for (SamFunction function : template.functions()) {
            boolean readsMaster = String.valueOf(function.properties()).contains("MasterUserSecret");
            assertThat(readsMaster).as(function.logicalId()).isEqualTo(function.logicalId().equals("MigrateFunction"));
        }
        assertThat(String.valueOf(template.resource("ApprovalFlow").orElseThrow().properties()))
                .doesNotContain("MasterUserSecret").doesNotContain("DatabaseSecret");
    }

    @Test
    void everySecret_isEncryptedWithTheRotatingCustomerKey_usableOnlyThroughSecretsManager() {
        Map<String, Object> key = template.resource("SecretsKey").orElseThrow().properties();
        assertThat(key).containsEntry("EnableKeyRotation", true);
        for (Object item : (List<?>) ((Map<?, ?>) key.get("KeyPolicy")).get("Statement")) {
            Map<?, ?> statement = (Map<?, ?>) item;
            assertThat(String.valueOf(statement.get("Principal"))).as("no anonymous or foreign principal")
                    .doesNotContain("'*'").contains(":root");
            Set<String> actions = new TreeSet<>(strings(statement.get("Action")));
            boolean usesTheKey = actions.stream().anyMatch(a -> a.startsWith("kms:Decrypt")
                    || a.startsWith("kms:Encrypt") || a.startsWith("kms:GenerateDataKey") || a.equals("kms:*"));
            if (usesTheKey) {
                assertThat(String.valueOf(statement.get("Condition"))).as(String.valueOf(statement.get("Sid")))
                        .contains("kms:ViaService", "secretsmanager.", "kms:CallerAccount");
            }
            assertThat(actions).doesNotContain("kms:*");
        }
        List<String> secrets = ofType("AWS::SecretsManager::Secret");
        assertThat(secrets).hasSize(6);
        for (String secret : secrets) {
            assertThat(template.resource(secret).orElseThrow().properties().get("KmsKeyId")).as(secret)
                    .isEqualTo(Map.of("Ref", "SecretsKey"));
        }
    }

    @Test
    void eachFunction_mayDecryptOnlyItsOwnSecret_andOnlyThroughSecretsManager() {
        for (SamFunction function : template.functions()) {
            Object secret = function.environment().get("DB_SECRET_ARN");
            List<Map<?, ?>> decrypts = statements(function).stream()
                    .filter(s -> strings(s.get("Action")).contains("kms:Decrypt")).toList();
            if (secret == null && !function.logicalId().equals("MigrateFunction")) {
                assertThat(decrypts).as(function.logicalId()).isEmpty();
                continue;
            }
            assertThat(decrypts).as(function.logicalId()).singleElement().satisfies(statement -> {
                assertThat(statement.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", List.of("SecretsKey", "Arn")));
                Map<?, ?> equals = (Map<?, ?>) ((Map<?, ?>) statement.get("Condition")).get("StringEquals");
                assertThat(equals.get("kms:ViaService"))
                        .isEqualTo(Map.of("Fn::Sub", "secretsmanager.${AWS::Region}.${AWS::URLSuffix}"));
                if (secret != null) {
                    assertThat(equals.get("kms:EncryptionContext:SecretARN")).isEqualTo(secret);
                } else {
                    List<Object> secrets = List.copyOf((List<?>) equals.get("kms:EncryptionContext:SecretARN"));
                    assertThat(secrets).hasSize(6).contains(
                            Map.of("Fn::GetAtt", List.of("DatabaseCluster", "MasterUserSecret.SecretArn")));
                }
            });
        }
    }

    // --- Defaults -------------------------------------------------------------------------------------------

    @Test
    void everyStatefulResource_saysWhatHappensOnDeletionAndReplacement() {
        Map<String, String> expected = Map.of(
                "DatabaseCluster", "Snapshot",
                "DatabaseInstance", "Delete",
                "DatabaseReaderInstance", "Delete",
                "SecretsKey", "Retain",
                "ApiAccessLogGroup", "Retain",
                "ApprovalFlowLogGroup", "Retain",
                "ApproverDatabaseSecret", "Delete",
                "ApproveFunctionLogGroup", "Delete");
        expected.forEach((id, policy) -> assertThat(policies(id)).as(id).containsExactly(policy, policy));
        for (String type : List.of("AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::SecretsManager::Secret",
                "AWS::Logs::LogGroup", "AWS::KMS::Key")) {
            for (String id : ofType(type)) {
                assertThat(policies(id)).as(id + " (" + type + ")").doesNotContainNull();
            }
        }
    }

    @Test
    void backups_areKeptAtLeast14Days() {
        assertThat(template.resource("DatabaseCluster").orElseThrow().properties().get("BackupRetentionPeriod"))
                .isEqualTo(Map.of("Ref", "DatabaseBackupRetentionDays"));
        assertThat(parameter("DatabaseBackupRetentionDays")).containsEntry("Default", 14).containsEntry("MinValue", 14)
                .containsEntry("MaxValue", 35);
    }

    @Test
    void theApi_writesAccessLogs_asJsonLines_withoutTokensHeadersOrQueryStrings() {
        Map<?, ?> settings = (Map<?, ?>) template.resource("ApprovalsApi").orElseThrow().properties()
                .get("AccessLogSettings");
        assertThat(settings).isNotNull();
        assertThat(settings.get("DestinationArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("ApiAccessLogGroup", "Arn")));
        String format = String.valueOf(settings.get("Format"));

        Map<String, Object> fields = new Yaml().load(format);

        assertThat(fields).as("a JSON object").isNotNull();
        assertThat(fields).containsEntry("requestId", "$context.requestId").containsEntry("status", "$context.status")
                .containsEntry("routeKey", "$context.routeKey").containsEntry("sub", "$context.authorizer.claims.sub");
        assertThat(format.toLowerCase(java.util.Locale.ROOT)).doesNotContain("header", "authorization", "querystring",
                "token", "$input", "$request", "requestoverride", "body");
        assertThat(policies("ApiAccessLogGroup")).containsExactly("Retain", "Retain");
    }

    @Test
    void theStateMachine_logsEveryEvent_butNoExecutionData() {
        Map<?, ?> logging = (Map<?, ?>) template.resource("ApprovalFlow").orElseThrow().properties().get("Logging");

        assertThat(logging.get("IncludeExecutionData")).isEqualTo(false);
        assertThat(logging.get("Level")).isEqualTo("ALL");
        assertThat(logging.get("Destinations")).isEqualTo(List.of(Map.of("CloudWatchLogsLogGroup",
                Map.of("LogGroupArn", Map.of("Fn::GetAtt", List.of("ApprovalFlowLogGroup", "Arn"))))));
    }

    @Test
    void aReaderInTheSecondZone_isOptional_andOffByDefault() {
        Map<?, ?> reader = (Map<?, ?>) ((Map<?, ?>) template.raw().get("Resources")).get("DatabaseReaderInstance");
        Map<?, ?> writer = template.resource("DatabaseInstance").orElseThrow().properties();

        assertThat(reader.get("Condition")).isEqualTo("HasReaderInSecondAz");
        assertThat(template.conditions().get("HasReaderInSecondAz"))
                .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "DatabaseReaderInSecondAz"), "true")));
        assertThat(defaults("DatabaseReaderInSecondAz")).containsExactly("false");
        Map<?, ?> properties = (Map<?, ?>) reader.get("Properties");
        assertThat(properties.get("AvailabilityZone"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("DatabaseSubnetB", "AvailabilityZone")));
        assertThat(writer.get("AvailabilityZone"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("DatabaseSubnetA", "AvailabilityZone")));
        assertThat(properties.get("DBClusterIdentifier")).isEqualTo(writer.get("DBClusterIdentifier"));
        assertThat(properties.get("DBInstanceClass")).isEqualTo("db.serverless");
    }

    @Test
    void theMinimumCapacity_statesItsTradeOff() {
        Parameter min = template.parameters().get("DatabaseMinCapacity");

        assertThat(min.defaultValue()).contains("0");
        assertThat(min.description()).contains("pause", "15 s", "503", "Retry-After", "0.5", "always warm");
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private List<String> defaults(String... names) {
        List<String> values = new ArrayList<>();
        for (String name : names) {
            values.add(template.parameters().get(name).defaultValue().orElseThrow());
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parameter(String name) {
        return (Map<String, Object>) ((Map<?, ?>) template.raw().get("Parameters")).get(name);
    }

    /** DeletionPolicy and UpdateReplacePolicy of a resource, null where missing. */
    private List<Object> policies(String id) {
        Map<?, ?> resource = (Map<?, ?>) ((Map<?, ?>) template.raw().get("Resources")).get(id);
        assertThat(resource).as(id).isNotNull();
        List<Object> both = new ArrayList<>();
        both.add(resource.get("DeletionPolicy"));
        both.add(resource.get("UpdateReplacePolicy"));
        return both;
    }

    private List<String> ofType(String type) {
        return template.resources().values().stream().filter(r -> r.type().equals(type)).map(Resource::logicalId)
                .toList();
    }

    private Set<String> routeKeys() {
        Set<String> keys = new TreeSet<>();
        template.functions().forEach(f -> f.httpApiRoutes().forEach(r -> keys.add(r.routeKey())));
        return keys;
    }

    private static List<Map<?, ?>> statements(SamFunction function) {
        List<Map<?, ?>> statements = new ArrayList<>();
        for (Object policy : function.policies()) {
            if (policy instanceof Map<?, ?> document && document.get("Statement") instanceof List<?> list) {
                list.forEach(s -> statements.add((Map<?, ?>) s));
            }
        }
        return statements;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
    }
}
