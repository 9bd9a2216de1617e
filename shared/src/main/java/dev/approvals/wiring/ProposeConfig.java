package dev.approvals.wiring;

import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.PROPOSER_GROUP;

/**
 * The propose function's configuration.
 *
 * @param proposerGroup empty when any authenticated caller may propose
 * @param events        where the proposals' events go
 */
public record ProposeConfig(FunctionConfig function, Optional<String> proposerGroup, EventsConfig events) {

    public static ProposeConfig fromEnvironment(Map<String, String> env) {
        return new ProposeConfig(FunctionConfig.fromEnvironment(env), FunctionConfig.optional(env, PROPOSER_GROUP),
                EventsConfig.fromEnvironment(env));
    }
}
