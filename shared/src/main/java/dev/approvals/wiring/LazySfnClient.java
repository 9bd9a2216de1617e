package dev.approvals.wiring;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The Step Functions client, built on the first callback. Most decisions resume no workflow, and a cold start
 * should not pay for loading a second SDK client that it may never use.
 */
final class LazySfnClient implements Supplier<SfnClient> {

    private final DecisionConfig config;
    private volatile SfnClient client;

    LazySfnClient(DecisionConfig config) {
        this.config = config;
    }

    @Override
    public SfnClient get() {
        SfnClient built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = build(config);
                    client = built;
                }
            }
        }
        return built;
    }

    /** A callback must not hold an answer for long, so the whole call, the SDK's retries included, is bounded. */
    private static SfnClient build(DecisionConfig config) {
        var builder = SfnClient.builder()
                .httpClient(AwsClients.httpClient())
                .region(config.function().region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5)));
        config.stepFunctionsEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
