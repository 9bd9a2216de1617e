package dev.approvals.wiring;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.time.Duration;

/**
 * Builds the Data API client, once per execution environment. Every function has one; only the deciders also
 * build a Step Functions client ({@link LazySfnClient}), so this class never refers to one: the read and propose
 * zips do not even contain it.
 */
final class AwsClients {

    private AwsClients() {
    }

    /**
     * The URLConnection HTTP client (the lightest to load), an explicit region, and {@link LambdaCredentials}:
     * the key variables, else the container endpoint (under SnapStart Lambda supplies container credentials
     * instead of key variables, so a hard-wired environment-variable provider would fail after restore).
     */
    static RdsDataClient rdsData(FunctionConfig config) {
        return rdsData(config, httpClient(), new LambdaCredentials());
    }

    /**
     * The same client over a given HTTP client and credentials: SnapStart priming and benchmarks pass a
     * {@link CannedHttpClient}. Each attempt is bounded by the HTTP client's connect (2 s) and read (10 s)
     * timeouts, well under the HTTP API's 30 s. No SDK attempt timeout on top: it schedules a timer task on a
     * thread of its own for every call (a thread, 12 classes and a few microseconds per call) to bound the same
     * wait, since the Data API answers in one read.
     */
    static RdsDataClient rdsData(FunctionConfig config, SdkHttpClient http, AwsCredentialsProvider credentials) {
        var builder = RdsDataClient.builder()
                .httpClient(http)
                .region(config.region())
                .credentialsProvider(credentials);
        config.dataApiEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }
}
