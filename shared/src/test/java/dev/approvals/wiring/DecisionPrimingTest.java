package dev.approvals.wiring;

import dev.approvals.core.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * SnapStart priming runs the intended paths (a win, an already-decided refusal, a direct win) against its canned
 * answers, for either decision, with or without an approver group: if input validation or the statement's shape
 * drifts away from the canned event and row, priming fails here (and a SnapStart init would fail) instead of
 * silently priming an error path.
 */
class DecisionPrimingTest {

    @ParameterizedTest
    @CsvSource({"APPROVE, ''", "REJECT, ''", "APPROVE, approvers", "REJECT, approvers"})
    void priming_shouldDecideRefuseAndAnswerDirectly_withoutFailing(Decision decision, String approverGroup) {
        DecisionConfig config = DecisionConfig.fromEnvironment(environment(approverGroup));

        assertThatCode(() -> new DecisionPriming(decision, config).run()).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({"APPROVE, on-demand", "REJECT, snap-start"})
    void buildingTheFunctionOutsideLambda_shouldWork_forAnyInitialisationType(Decision decision, String type) {
        // outside Lambda's runtime org.crac has no checkpoint to offer: registering must still work
        Map<String, String> env = environment("");
        env.put(EnvironmentVariables.AWS_LAMBDA_INITIALIZATION_TYPE, type);
        assertThat(FunctionFactory.decisionFunction(decision, env)).isNotNull();
    }

    private static Map<String, String> environment(String approverGroup) {
        Map<String, String> env = new HashMap<>();
        env.put(EnvironmentVariables.DB_CLUSTER_ARN, "arn:aws:rds:us-east-1:123456789012:cluster:approvals");
        env.put(EnvironmentVariables.DB_SECRET_ARN, "arn:aws:secretsmanager:us-east-1:123456789012:secret:approvals");
        env.put(EnvironmentVariables.DB_NAME, "approvals");
        env.put(EnvironmentVariables.AWS_REGION, "us-east-1");
        env.put(EnvironmentVariables.APPROVER_GROUP, approverGroup);
        env.put(EnvironmentVariables.ALLOW_ANY_APPROVER, String.valueOf(approverGroup.isEmpty()));
        return env;
    }
}
