package dev.approvals.wiring;

import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.PROPOSER_GROUP;

/**
 * The propose function's configuration.
 *
 * @param proposerGroup empty when any authenticated caller may propose
 */
public record ProposeConfig(FunctionConfig function, Optional<String> proposerGroup) {

    public static ProposeConfig fromEnvironment(Map<String, String> env) {
        return new ProposeConfig(FunctionConfig.fromEnvironment(env), FunctionConfig.optional(env, PROPOSER_GROUP));
    }
}
