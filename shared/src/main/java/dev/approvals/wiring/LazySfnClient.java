package dev.approvals.wiring;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The Step Functions client, built on the first callback. Most decisions resume no workflow, and a cold start
 * should not pay for loading a second SDK client that it may never use.
 */
final class LazySfnClient extends LazyClient<SfnClient> {

    private final Region region;
    private final Optional<URI> endpoint;

    /** @param endpoint empty on AWS; the local stack's callback endpoint when running locally */
    LazySfnClient(Region region, Optional<URI> endpoint) {
        this.region = region;
        this.endpoint = endpoint;
    }

    /** A callback must not hold an answer for long, so the whole call, the SDK's retries included, is bounded. */
    @Override
    protected SfnClient build() {
        var builder = AwsClients.settled(SfnClient.builder(), region, new LambdaCredentials(), Duration.ofSeconds(5))
                .httpClient(AwsClients.httpClient());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
