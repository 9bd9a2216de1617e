package dev.approvals.local.template;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntrinsicResolverTest {

    private static final String LOCAL_CLUSTER = "arn:aws:rds:us-east-1:000000000000:cluster:local";
    private static final String LOCAL_SECRET = "arn:aws:secretsmanager:us-east-1:000000000000:secret:local-AbCdEf";

    private final SamTemplate template = SamTemplate.read(Repository.template());

    /** What the local stack does: the stack's database resources become the local Data API's. */
    private final ResourceValues local = ResourceValues.builder()
            .attributeOfType("AWS::RDS::DBCluster", "DBClusterArn", id -> LOCAL_CLUSTER)
            .refOfType("AWS::SecretsManager::Secret", id -> LOCAL_SECRET)
            .ref("ApprovalsApi", "localapi")
            .refOfType("AWS::Events::EventBus", id -> "local-" + id)
            .attribute("DatabaseVpc", "CidrBlock", "10.80.0.0/24")
            .build();

    @Test
    void aFunctionsEnvironment_resolvesWithLocalValuesAndParameterDefaults() {
        IntrinsicResolver resolver = IntrinsicResolver.forTemplate(template).resources(local).build();

        assertThat(resolver.environment(template.function("ApproveFunction"))).containsExactly(
                Map.entry("DB_CLUSTER_ARN", LOCAL_CLUSTER),
                Map.entry("DB_SECRET_ARN", LOCAL_SECRET),
                Map.entry("DB_NAME", "approvals"),
                Map.entry("DATA_API_ENDPOINT", ""),
                Map.entry("STEP_FUNCTIONS_ENDPOINT", ""),
                Map.entry("APPROVER_GROUP", "approvers"),
                Map.entry("EVENT_BUS_NAME", "local-ApprovalEventBus"),
                Map.entry("EVENTS_ENDPOINT", ""),
                Map.entry("WORKFLOW_ACTOR", "workflow:auto-approval-policy"),
                Map.entry("ALLOW_ANY_APPROVER", "false"));
    }

    @Test
    void givenParametersAndPseudoParameters_winOverDefaults() {
        IntrinsicResolver resolver = IntrinsicResolver.forTemplate(template).resources(local)
                .parameter("DatabaseName", "approvals_dev")
                .parameter("StageName", "dev")
                .pseudoParameter("AWS::Region", "eu-west-1")
                .build();

        assertThat(resolver.environment(template.function("RejectFunction"))).containsEntry("DB_NAME", "approvals_dev");
        assertThat(resolver.resolve(((Map<?, ?>) template.outputs().get("ApiUrl")).get("Value")))
                .isEqualTo("https://localapi.execute-api.eu-west-1.amazonaws.com/dev");
    }

    @Test
    void cidrAndAvailabilityZones_resolve() {
        IntrinsicResolver resolver = IntrinsicResolver.forTemplate(template).resources(local).build();
        Map<String, Object> subnetB = template.resource("DatabaseSubnetB").orElseThrow().properties();

        assertThat(resolver.resolve(subnetB.get("CidrBlock"))).isEqualTo("10.80.0.64/26");
        assertThat(resolver.resolve(subnetB.get("AvailabilityZone"))).isEqualTo("us-east-1b");
    }

    @Test
    void conditionsIfNoValueAndTheOtherFunctions_resolve() {
        SamTemplate small = SamTemplate.of(TemplateYaml.parse("""
                Parameters:
                  Env: {Type: String, Default: prod}
                  Zones: {Type: CommaDelimitedList, Default: 'a,b'}
                Mappings:
                  Sizes: {prod: {Memory: 2048}, dev: {Memory: 512}}
                Conditions:
                  IsProd: !Equals [!Ref Env, prod]
                  IsDev: !Not [!Condition IsProd]
                  Either: !Or [!Condition IsDev, !And [!Condition IsProd, !Equals [x, x]]]
                Resources:
                  Thing:
                    Type: AWS::S3::Bucket
                    Properties:
                      Memory: !FindInMap [Sizes, !Ref Env, Memory]
                      Optional: !If [IsDev, yes-dev, !Ref AWS::NoValue]
                      List: [a, !If [IsDev, b, !Ref AWS::NoValue], c]
                      Joined: !Join ['-', [!Ref Env, !Select [1, !Ref Zones], !Select [2, !Split [',', 'p,q,r']]]]
                      Encoded: !Base64 hi
                      Imported: !ImportValue shared-vpc
                      Literal: !Sub 'keep ${!This} but ${Env}'
                      WithVars: !Sub ['${Greeting}, ${AWS::AccountId}', {Greeting: !If [Either, hello, bye]}]
                """));
        IntrinsicResolver resolver = IntrinsicResolver.forTemplate(small).importValue("shared-vpc", "vpc-123").build();

        Object resolved = resolver.resolve(small.resource("Thing").orElseThrow().properties());

        assertThat(resolved).isEqualTo(Map.of(
                "Memory", 2048,
                "List", List.of("a", "c"),
                "Joined", "prod-b-r",
                "Encoded", "aGk=",
                "Imported", "vpc-123",
                "Literal", "keep ${This} but prod",
                "WithVars", "hello, 123456789012"));
        assertThat(resolver.condition("IsDev")).isFalse();
    }

    @Test
    void somethingWithoutAValue_failsNamingIt() {
        IntrinsicResolver resolver = IntrinsicResolver.forTemplate(template).build();

        assertThatThrownBy(() -> resolver.environment(template.function("ApproveFunction")))
                .isInstanceOf(UnresolvedReferenceException.class)
                .hasMessage("No local value for Fn::GetAtt DatabaseCluster.DBClusterArn (AWS::RDS::DBCluster): "
                        + "give ResourceValues one (attribute or attributeOfType)");
        assertThatThrownBy(() -> resolver.resolve(Map.of("Ref", "JwtIssuer")))
                .isInstanceOf(UnresolvedReferenceException.class)
                .hasMessage("Parameter JwtIssuer has no default: give the resolver a value for it");
        assertThatThrownBy(() -> IntrinsicResolver.forTemplate(template).parameter("NoSuchParameter", "x"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("NoSuchParameter");
    }
}
