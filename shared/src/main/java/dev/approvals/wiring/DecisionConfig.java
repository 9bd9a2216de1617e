package dev.approvals.wiring;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.APPROVER_GROUP;
import static dev.approvals.wiring.EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT;

/**
 * The approve and reject functions' configuration.
 *
 * @param stepFunctionsEndpoint empty on AWS; the local stack's callback endpoint when running locally
 * @param approverGroup         empty when any authenticated caller may decide
 * @param events                where the decisions' events go
 */
public record DecisionConfig(FunctionConfig function, Optional<URI> stepFunctionsEndpoint,
                             Optional<String> approverGroup, EventsConfig events) {

    public static DecisionConfig fromEnvironment(Map<String, String> env) {
        return new DecisionConfig(FunctionConfig.fromEnvironment(env),
                FunctionConfig.optional(env, STEP_FUNCTIONS_ENDPOINT)
                        .map(url -> FunctionConfig.endpoint(STEP_FUNCTIONS_ENDPOINT, url)),
                FunctionConfig.optional(env, APPROVER_GROUP), EventsConfig.fromEnvironment(env));
    }
}
