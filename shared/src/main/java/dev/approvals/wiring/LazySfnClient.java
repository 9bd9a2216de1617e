package dev.approvals.wiring;

import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.function.Supplier;

/**
 * The Step Functions client, built on the first callback. Most decisions resume no workflow, and a cold start
 * should not pay for loading a second SDK client that it may never use.
 */
final class LazySfnClient implements Supplier<SfnClient> {

    private final AwsEndpoints config;
    private volatile SfnClient client;

    LazySfnClient(AwsEndpoints config) {
        this.config = config;
    }

    @Override
    public SfnClient get() {
        SfnClient built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = AwsClients.stepFunctions(config);
                    client = built;
                }
            }
        }
        return built;
    }
}
