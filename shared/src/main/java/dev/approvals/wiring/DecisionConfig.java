package dev.approvals.wiring;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.ALLOW_ANY_APPROVER;
import static dev.approvals.wiring.EnvironmentVariables.APPROVER_GROUP;
import static dev.approvals.wiring.EnvironmentVariables.STEP_FUNCTIONS_ENDPOINT;
import static dev.approvals.wiring.EnvironmentVariables.WORKFLOW_ACTOR;

/**
 * The approve and reject functions' configuration.
 *
 * @param stepFunctionsEndpoint empty on AWS; the local stack's callback endpoint when running locally
 * @param approverGroup         empty only when the deployment opted out ({@code ALLOW_ANY_APPROVER=true}): then any
 *                              authenticated caller with the decide scope may decide
 * @param workflowActor         who decides through the alias {@code workflow}; empty: that entry path is refused
 * @param events                where the decisions' events go
 */
public record DecisionConfig(FunctionConfig function, Optional<URI> stepFunctionsEndpoint,
                             Optional<String> approverGroup, Optional<String> workflowActor, EventsConfig events) {

    /** The prefix of every actor the deployment names; {@code dev.approvals.http.Identity} refuses it in tokens. */
    static final String WORKFLOW_ACTOR_PREFIX = "workflow:";

    public static DecisionConfig fromEnvironment(Map<String, String> env) {
        return new DecisionConfig(FunctionConfig.fromEnvironment(env),
                FunctionConfig.optionalEndpoint(env, STEP_FUNCTIONS_ENDPOINT),
                approverGroup(env), workflowActor(env), EventsConfig.fromEnvironment(env));
    }

    static Optional<String> workflowActor(Map<String, String> env) {
        Optional<String> actor = FunctionConfig.optional(env, WORKFLOW_ACTOR);
        if (actor.isPresent() && !actor.get().matches("workflow:[\\x21-\\x7E]{1,200}")) {
            throw new InvalidConfigurationException("Environment variable " + WORKFLOW_ACTOR + " must start with "
                    + WORKFLOW_ACTOR_PREFIX + " followed by visible ASCII, e.g. workflow:auto-approval-policy");
        }
        return actor;
    }

    /** Fails closed: no approver group is a configuration error unless the deployment explicitly opted out. */
    static Optional<String> approverGroup(Map<String, String> env) {
        Optional<String> group = FunctionConfig.optional(env, APPROVER_GROUP);
        String optOut = FunctionConfig.optional(env, ALLOW_ANY_APPROVER).orElse("false");
        if (!optOut.equals("true") && !optOut.equals("false")) {
            throw new InvalidConfigurationException("Environment variable " + ALLOW_ANY_APPROVER
                    + " must be true or false");
        }
        if (group.isEmpty() && optOut.equals("false")) {
            throw new InvalidConfigurationException("Environment variable " + APPROVER_GROUP + " is empty: name the"
                    + " group allowed to decide, or set " + ALLOW_ANY_APPROVER + "=true to let any authenticated"
                    + " caller with the decide scope decide");
        }
        return group;
    }
}
