package dev.approvals.wiring;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.defaultsmode.DefaultsMode;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * Builds the Data API client, once per execution environment. Every function has one; only the deciders also
 * build a Step Functions client ({@link LazySfnClient}), so this class never refers to one: the read and propose
 * zips do not even contain it.
 */
final class AwsClients {

    /** Each attempt's bounds: the HTTP API waits 30 s, and the Data API answers in one read. */
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 10_000;

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
        var builder = settled(RdsDataClient.builder(), config.region(), credentials, null).httpClient(http);
        if (config.dataApiEndpoint().isPresent()) {
            builder.endpointOverride(config.dataApiEndpoint().get());
        }
        return builder.build();
    }

    /**
     * A client builder given, rather than left to resolve, what the SDK would otherwise look up in the environment
     * and the AWS profile files at build time, each lookup with classes of its own (about 30 at every cold start):
     * the legacy defaults mode and retry mode (what it resolves to when neither {@code AWS_DEFAULTS_MODE} nor
     * {@code AWS_RETRY_MODE} is set, as on Lambda), no dual-stack or FIPS endpoint, and no profile file (Lambda has
     * none). The endpoint variables ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_<SERVICE>}) still apply: the
     * SDK reads them from the environment, not from a profile file. The SDK schedules each call's timeout
     * ({@code callTimeout} here, the store's per-request {@code apiCallTimeout}) on {@link CallTimers}, shared by
     * every client, rather than on an executor of five threads per client. Built without lambdas (a class each).
     *
     * @param callTimeout bounds each whole call, the SDK's retries included; null: no bound beyond the attempts'
     */
    static <B extends AwsClientBuilder<B, ?>> B settled(B builder, Region region, AwsCredentialsProvider credentials,
                                                        Duration callTimeout) {
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.LEGACY)
                .defaultProfileFile(ProfileFile.aggregator().build())
                .scheduledExecutorService(CallTimers.executor());
        if (callTimeout != null) {
            overrides.apiCallTimeout(callTimeout);
        }
        return builder.region(region)
                .credentialsProvider(credentials)
                .defaultsMode(DefaultsMode.LEGACY)
                .dualstackEnabled(false)
                .fipsEnabled(false)
                .overrideConfiguration(overrides.build());
    }

    /**
     * Connections opened by the JDK with the connect and read timeouts set, over a TLS socket factory built here,
     * at init, as the SDK's own connection factory does (so that it is inside a SnapStart snapshot).
     * A connection factory of our own skips the client builder's proxy resolution (system properties and
     * {@code HTTPS_PROXY}-style variables, some 25 classes): Lambda functions reach AWS without a proxy, and the
     * JDK still applies {@code https.proxyHost} if one is set.
     */
    static SdkHttpClient httpClient() {
        SSLSocketFactory tls = tls();
        return UrlConnectionHttpClient.create(uri -> connection(uri, tls));
    }

    /** TLS with the JDK's trusted certificates and no client key, as the SDK's URLConnection client sets it up. */
    private static SSLSocketFactory tls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    static HttpURLConnection connection(URI uri, SSLSocketFactory tls) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout(READ_TIMEOUT_MS);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a connection to " + uri, e);
        }
    }
}
