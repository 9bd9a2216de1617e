package dev.approvals.wiring;

import java.time.Duration;
import java.util.Map;

import static dev.approvals.wiring.EnvironmentVariables.EVENT_BUS_NAME;
import static dev.approvals.wiring.EnvironmentVariables.SWEEP_AFTER_SECONDS;

/**
 * The outbox function's configuration: unlike the others it cannot work without a bus.
 *
 * @param grace how old an unpublished event must be before the sweeper publishes it
 */
public record OutboxConfig(FunctionConfig function, EventsConfig events, Duration grace) {

    static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static OutboxConfig fromEnvironment(Map<String, String> env) {
        FunctionConfig function = FunctionConfig.fromEnvironment(env);
        FunctionConfig.required(env, EVENT_BUS_NAME, "the name of the EventBridge bus to publish to");
        return new OutboxConfig(function, EventsConfig.fromEnvironment(env),
                FunctionConfig.optional(env, SWEEP_AFTER_SECONDS).map(OutboxConfig::seconds).orElse(DEFAULT_GRACE));
    }

    private static Duration seconds(String value) {
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 0 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // falls through to the message naming the variable
        }
        throw new InvalidConfigurationException(
                "Environment variable " + SWEEP_AFTER_SECONDS + " must be a whole number of seconds from 0 to 3600");
    }
}
