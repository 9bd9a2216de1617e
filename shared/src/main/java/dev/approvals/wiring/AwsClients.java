package dev.approvals.wiring;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.time.Duration;

/** Builds the SDK clients, once per execution environment. */
final class AwsClients {

    private AwsClients() {
    }

    /**
     * An explicit region, and in production the URLConnection HTTP client (the lightest to load) and the default
     * credentials chain: under SnapStart Lambda supplies container credentials instead of key variables, so a
     * hard-wired environment-variable provider would fail after restore. Attempt timeout well under API Gateway's
     * 29 s.
     */
    static RdsDataClient rdsData(FunctionConfig config, SdkHttpClient http, AwsCredentialsProvider credentials) {
        var builder = RdsDataClient.builder()
                .httpClient(http)
                .region(config.region())
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(10)));
        config.dataApiEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Built on first use only (see {@link LazySfnClient}); a callback must not hold an answer for long, so the
     * whole call, the SDK's retries included, is bounded.
     */
    static SfnClient stepFunctions(FunctionConfig config) {
        var builder = SfnClient.builder()
                .httpClient(urlConnection())
                .region(config.region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5)));
        config.stepFunctionsEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    static SdkHttpClient urlConnection() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }
}
