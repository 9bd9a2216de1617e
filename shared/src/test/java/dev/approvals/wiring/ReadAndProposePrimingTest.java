package dev.approvals.wiring;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * SnapStart priming of the read and propose functions runs the intended paths (an approval read; a proposal
 * created) against their canned answers, with or without the caller's group: if request parsing or a statement's
 * shape drifts away from the canned event and row, priming fails here (and a SnapStart init would fail) instead of
 * silently priming an error path.
 */
class ReadAndProposePrimingTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "approvers"})
    void readPriming_shouldReadAnApproval_withoutFailing(String approverGroup) {
        Map<String, String> env = environment();
        env.put(EnvironmentVariables.APPROVER_GROUP, approverGroup);
        ReadConfig config = ReadConfig.fromEnvironment(env);

        assertThatCode(() -> new ReadPriming(config).run()).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "agents"})
    void proposePriming_shouldCreateAProposal_withoutFailing(String proposerGroup) {
        Map<String, String> env = environment();
        env.put(EnvironmentVariables.PROPOSER_GROUP, proposerGroup);
        ProposeConfig config = ProposeConfig.fromEnvironment(env);

        assertThatCode(() -> new ProposePriming(config).run()).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"on-demand", "snap-start"})
    void buildingTheFunctionsOutsideLambda_shouldWork_forAnyInitialisationType(String type) {
        // outside Lambda's runtime org.crac has no checkpoint to offer: registering must still work
        Map<String, String> env = environment();
        env.put(EnvironmentVariables.AWS_LAMBDA_INITIALIZATION_TYPE, type);
        assertThat(ReadFunctionFactory.readFunction(env)).isNotNull();
        assertThat(ProposeFunctionFactory.proposeFunction(env)).isNotNull();
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put(EnvironmentVariables.DB_CLUSTER_ARN, "arn:aws:rds:us-east-1:123456789012:cluster:approvals");
        env.put(EnvironmentVariables.DB_SECRET_ARN, "arn:aws:secretsmanager:us-east-1:123456789012:secret:approvals");
        env.put(EnvironmentVariables.DB_NAME, "approvals");
        env.put(EnvironmentVariables.AWS_REGION, "us-east-1");
        env.put(EnvironmentVariables.CURSOR_SIGNING_KEY, "priming-test-cursor-signing-key-0123456789");
        return env;
    }
}
