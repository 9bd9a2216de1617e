package dev.approvals.local.localstack;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips each test, by name and with the reason, where no Docker engine is reachable, so a run without Docker lists
 * every LocalStack test as skipped instead of failing or vanishing. The class itself always runs its setup, which
 * deploys nothing without Docker.
 */
final class RequiresDocker implements ExecutionCondition {

    static final String NO_DOCKER = "no Docker engine is reachable here (Testcontainers found none): the LocalStack "
            + "tests need one to run LocalStack " + LocalStackWorkflowIT.LOCALSTACK_VERSION + " and its Lambda "
            + "containers; skipped (docs/testing.md says how to run them)";

    private static Boolean available;

    static synchronized boolean dockerAvailable() {
        if (available == null) {
            available = DockerClientFactory.instance().isDockerAvailable();
            if (!available) {
                System.out.println("LocalStackWorkflowIT: " + NO_DOCKER); // on the console too, not only in the report
            }
        }
        return available;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("each test is checked on its own");
        }
        return dockerAvailable()
                ? ConditionEvaluationResult.enabled("a Docker engine is reachable")
                : ConditionEvaluationResult.disabled(NO_DOCKER);
    }
}
