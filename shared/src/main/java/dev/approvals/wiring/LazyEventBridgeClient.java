package dev.approvals.wiring;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The EventBridge client, built on the first publish rather than at init: the init (and the SnapStart snapshot) does
 * not load a second SDK client, and a function that publishes nothing never pays for one.
 */
final class LazyEventBridgeClient extends LazyClient<EventBridgeClient> {

    private final Region region;
    private final Optional<URI> endpoint;

    /** @param endpoint empty on AWS; the local stack's EventBridge stand-in when running locally */
    LazyEventBridgeClient(Region region, Optional<URI> endpoint) {
        this.region = region;
        this.endpoint = endpoint;
    }

    /**
     * A publish holds the answer of a decision already committed, so the whole call, the SDK's retries included, is
     * bounded; what does not make it is the sweeper's.
     */
    @Override
    protected EventBridgeClient build() {
        var builder = AwsClients.settled(EventBridgeClient.builder(), region, new LambdaCredentials(),
                Duration.ofSeconds(2)).httpClient(AwsClients.httpClient());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
