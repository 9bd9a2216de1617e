package dev.approvals.wiring;

import dev.approvals.core.AutoApprovalPolicy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.AUTO_APPROVED_ACTION_TYPES;
import static dev.approvals.wiring.EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT;

/**
 * The workflow function's configuration.
 *
 * @param stepFunctionsEndpoint empty on AWS; the local stack's callback endpoint when running locally
 * @param autoApproval          the deployment's auto-approval policy; none when the variable is empty
 * @param events                where the recorded and expired approvals' events go
 */
public record WorkflowConfig(FunctionConfig function, Optional<URI> stepFunctionsEndpoint,
                             AutoApprovalPolicy autoApproval, EventsConfig events) {

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static WorkflowConfig fromEnvironment(Map<String, String> env) {
        return new WorkflowConfig(FunctionConfig.fromEnvironment(env),
                FunctionConfig.optionalEndpoint(env, STEP_FUNCTIONS_ENDPOINT),
                FunctionConfig.optional(env, AUTO_APPROVED_ACTION_TYPES).map(AutoApprovalPolicy::parse)
                        .orElse(AutoApprovalPolicy.NONE), EventsConfig.fromEnvironment(env));
    }
}
