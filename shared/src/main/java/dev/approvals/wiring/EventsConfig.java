package dev.approvals.wiring;

import dev.approvals.core.EventPublisher;
import dev.approvals.events.EventBridgePublisher;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.EVENTS_ENDPOINT;
import static dev.approvals.wiring.EnvironmentVariables.EVENT_BUS_NAME;

/**
 * Where a function publishes its approval events (docs/events.md).
 *
 * @param busName  empty: the function publishes nothing itself, the outbox keeps its events for the sweeper
 * @param endpoint empty on AWS; the local stack's EventBridge stand-in when running locally
 */
public record EventsConfig(Optional<String> busName, Optional<URI> endpoint) {

    public static EventsConfig fromEnvironment(Map<String, String> env) {
        return new EventsConfig(FunctionConfig.optional(env, EVENT_BUS_NAME),
                FunctionConfig.optionalEndpoint(env, EVENTS_ENDPOINT));
    }

    /** The publisher: its EventBridge client is built on the first publish, never at init. */
    EventPublisher publisher(Region region) {
        return busName.isEmpty() ? EventPublisher.NONE
                : new EventBridgePublisher(new LazyEventBridgeClient(region, endpoint), busName.get());
    }
}
