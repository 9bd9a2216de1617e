package dev.approvals.wiring;

import dev.approvals.core.AutoApprovalPolicy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FunctionConfigTest {

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put(EnvironmentVariables.DB_CLUSTER_ARN, "arn:aws:rds:eu-west-1:123456789012:cluster:approvals");
        env.put(EnvironmentVariables.DB_SECRET_ARN, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:approvals-AbCdEf");
        env.put(EnvironmentVariables.DB_NAME, "approvals");
        env.put(EnvironmentVariables.AWS_REGION, "eu-west-1");
        return env;
    }

    @Test
    void completeEnvironment_isRead_withOptionalsEmpty() {
        FunctionConfig config = FunctionConfig.fromEnvironment(complete());

        assertThat(config.database().database()).isEqualTo("approvals");
        assertThat(config.region().id()).isEqualTo("eu-west-1");
        assertThat(config.dataApiEndpoint()).isEmpty();
        Map<String, String> optedOut = complete();
        optedOut.put("ALLOW_ANY_APPROVER", "true");
        assertThat(DecisionConfig.fromEnvironment(optedOut).approverGroup()).isEmpty();
    }

    @Test
    void anEndpointOverride_mustBeHttps_orPlainHttpOnLoopback() {
        for (String ok : new String[]{"http://127.0.0.1:8450", "http://localhost:1", "http://[::1]:2",
                "https://rds-data.example.com"}) {
            Map<String, String> env = complete();
            env.put("DATA_API_ENDPOINT", ok);
            assertThat(FunctionConfig.fromEnvironment(env).dataApiEndpoint()).as(ok).isPresent();
        }
        for (String name : new String[]{"DATA_API_ENDPOINT", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_RDS_DATA"}) {
            for (String bad : new String[]{"http://10.0.0.5:8450", "http://attacker.example.com",
                    "http://127.0.0.1.example.com"}) {
                Map<String, String> env = complete();
                env.put(name, bad);
                assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env)).as(name + "=" + bad)
                        .isInstanceOf(InvalidConfigurationException.class)
                        .hasMessageContaining(name).hasMessageContaining("https://");
            }
        }
    }

    @Test
    void noApproverGroup_failsTheDecisionFunctionsInit_unlessTheDeploymentExplicitlyOptsOut() {
        Map<String, String> env = complete();
        env.put("APPROVER_GROUP", "");

        assertThatThrownBy(() -> DecisionConfig.fromEnvironment(env))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("APPROVER_GROUP").hasMessageContaining("ALLOW_ANY_APPROVER=true");
        env.put("ALLOW_ANY_APPROVER", "yes");
        assertThatThrownBy(() -> DecisionConfig.fromEnvironment(env)).hasMessageContaining("true or false");
        env.put("ALLOW_ANY_APPROVER", "false");
        env.put("APPROVER_GROUP", "approvers");
        assertThat(DecisionConfig.fromEnvironment(env).approverGroup()).contains("approvers");
    }

    @Test
    void eachRequiredVariable_isNamedWhenMissingOrBlank() {
        for (String name : new String[]{EnvironmentVariables.DB_CLUSTER_ARN, EnvironmentVariables.DB_SECRET_ARN, EnvironmentVariables.DB_NAME, EnvironmentVariables.AWS_REGION}) {
            Map<String, String> env = complete();
            env.put(name, " ");

            assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining(name);
        }
    }

    @Test
    void emptyEndpointOverride_meansAws_andAUrlIsUsed() {
        Map<String, String> env = complete();
        env.put(EnvironmentVariables.DATA_API_ENDPOINT, "");
        assertThat(FunctionConfig.fromEnvironment(env).dataApiEndpoint()).isEmpty();

        env.put(EnvironmentVariables.DATA_API_ENDPOINT, "http://127.0.0.1:8450");
        assertThat(FunctionConfig.fromEnvironment(env).dataApiEndpoint()).contains(URI.create("http://127.0.0.1:8450"));
    }

    @Test
    void malformedValues_areRefusedAtInit() {
        Map<String, String> env = complete();
        env.put(EnvironmentVariables.DATA_API_ENDPOINT, "localhost:8450");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env)).hasMessageContaining(EnvironmentVariables.DATA_API_ENDPOINT);

        Map<String, String> swapped = complete();
        swapped.put(EnvironmentVariables.DB_CLUSTER_ARN, complete().get(EnvironmentVariables.DB_SECRET_ARN));
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(swapped)).hasMessageContaining(EnvironmentVariables.DB_CLUSTER_ARN);
    }

    @Test
    void theReadFunctionsCursorKey_isRequired_longEnough_andResolved() {
        Map<String, String> env = complete();
        assertThatThrownBy(() -> ReadConfig.fromEnvironment(env)).hasMessageContaining(EnvironmentVariables.CURSOR_SIGNING_KEY);

        env.put(EnvironmentVariables.CURSOR_SIGNING_KEY, "short");
        assertThatThrownBy(() -> ReadConfig.fromEnvironment(env)).hasMessageContaining("at least 32")
                .hasMessageNotContaining("short");

        env.put(EnvironmentVariables.CURSOR_SIGNING_KEY, "{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:1:secret:k}}");
        assertThatThrownBy(() -> ReadConfig.fromEnvironment(env)).hasMessageContaining("unresolved");

        env.put(EnvironmentVariables.CURSOR_SIGNING_KEY, "k".repeat(64));
        env.put(EnvironmentVariables.APPROVER_GROUP, "approvers");
        assertThat(ReadConfig.fromEnvironment(env).approverGroup()).contains("approvers");
    }

    @Test
    void theProposeFunction_readsItsGroup() {
        Map<String, String> env = complete();
        env.put(EnvironmentVariables.PROPOSER_GROUP, " agents ");

        assertThat(ProposeConfig.fromEnvironment(env).proposerGroup()).contains("agents");
    }

    @Test
    void theWorkflowFunction_readsItsPolicyAndCallbackEndpoint_noPolicyMeaningAPersonDecides() {
        Map<String, String> env = complete();
        assertThat(WorkflowConfig.fromEnvironment(env).autoApproval()).isEqualTo(AutoApprovalPolicy.NONE);
        assertThat(WorkflowConfig.fromEnvironment(env).stepFunctionsEndpoint()).isEmpty();

        env.put(EnvironmentVariables.AUTO_APPROVED_ACTION_TYPES, "small-refund,send-receipt");
        env.put(EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT, "http://127.0.0.1:8451");
        WorkflowConfig config = WorkflowConfig.fromEnvironment(env);

        assertThat(config.autoApproval().actionTypes()).containsExactlyInAnyOrder("small-refund", "send-receipt");
        assertThat(config.stepFunctionsEndpoint()).contains(URI.create("http://127.0.0.1:8451"));
        env.put(EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT, "127.0.0.1:8451");
        assertThatThrownBy(() -> WorkflowConfig.fromEnvironment(env)).hasMessageContaining(EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT);
    }
}
