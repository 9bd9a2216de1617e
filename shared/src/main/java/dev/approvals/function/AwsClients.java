package dev.approvals.function;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.time.Duration;

/** Builds the SDK clients, once per execution environment. */
final class AwsClients {

    private AwsClients() {
    }

    /**
     * The URLConnection HTTP client (the lightest to load), an explicit region, and the default credentials
     * chain: under SnapStart Lambda supplies container credentials instead of key variables, so a hard-wired
     * environment-variable provider would fail after restore. Attempt timeout well under API Gateway's 29 s.
     */
    static RdsDataClient rdsData(FunctionConfig config) {
        var builder = RdsDataClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10))
                        .build())
                .region(config.region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(10)));
        config.dataApiEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
