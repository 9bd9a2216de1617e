package dev.approvals.wiring;

import dev.approvals.http.Cursors;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.APPROVER_GROUP;
import static dev.approvals.wiring.EnvironmentVariables.CURSOR_SIGNING_KEY;

/**
 * The read function's configuration.
 *
 * @param approverGroup empty when any authenticated caller may read
 * @param cursors       list cursors signed with the configured key
 */
public record ReadConfig(FunctionConfig function, Optional<String> approverGroup, Cursors cursors) {

    public static ReadConfig fromEnvironment(Map<String, String> env) {
        String value = FunctionConfig.required(env, CURSOR_SIGNING_KEY, "the key that signs list cursors");
        if (value.startsWith("{{resolve:")) {
            throw new InvalidConfigurationException("Environment variable " + CURSOR_SIGNING_KEY
                    + " holds an unresolved CloudFormation dynamic reference; give it the secret's value");
        }
        byte[] key = value.getBytes(StandardCharsets.UTF_8);
        if (key.length < Cursors.MIN_KEY_BYTES) {
            // The value is a secret: the message never shows it.
            throw new InvalidConfigurationException("Environment variable " + CURSOR_SIGNING_KEY
                    + " must hold at least " + Cursors.MIN_KEY_BYTES + " characters");
        }
        return new ReadConfig(FunctionConfig.fromEnvironment(env), FunctionConfig.optional(env, APPROVER_GROUP),
                new Cursors(key));
    }
}
