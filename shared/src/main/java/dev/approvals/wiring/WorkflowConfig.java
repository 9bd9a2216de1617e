package dev.approvals.wiring;

import dev.approvals.workflow.AutoApprovalPolicy;

import java.util.Map;

import static dev.approvals.wiring.EnvironmentVariables.AUTO_APPROVED_ACTION_TYPES;

/**
 * The workflow function's configuration, read once at init: where its AWS calls go and the deployment's
 * auto-approval policy.
 */
public record WorkflowConfig(AwsEndpoints aws, AutoApprovalPolicy autoApproval) {

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static WorkflowConfig fromEnvironment(Map<String, String> env) {
        return new WorkflowConfig(AwsEndpoints.fromEnvironment(env),
                AwsEndpoints.optional(env, AUTO_APPROVED_ACTION_TYPES).map(AutoApprovalPolicy::parse)
                        .orElse(AutoApprovalPolicy.NONE));
    }
}
