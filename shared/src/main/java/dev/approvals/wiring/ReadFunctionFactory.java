package dev.approvals.wiring;

import dev.approvals.core.ReadService;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.invocation.HttpFunction;
import dev.approvals.invocation.ReadRoutes;
import dev.approvals.store.DataApiApprovalQueries;
import dev.approvals.store.Sleeper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

import java.time.Clock;
import java.util.Map;

/** Builds the read function ({@code GET /approvals/{id}}, {@code GET /approvals}) from its environment. */
public final class ReadFunctionFactory {

    private ReadFunctionFactory() {
    }

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static HttpFunction readFunction(Map<String, String> env) {
        ReadConfig config = ReadConfig.fromEnvironment(env);
        if (SnapStartPriming.SNAPSHOT_INIT.equals(env.get(EnvironmentVariables.AWS_LAMBDA_INITIALIZATION_TYPE))) {
            SnapStartPriming.register(new ReadPriming(config));
        }
        return readFunction(config, AwsClients.httpClient(), new LambdaCredentials(),
                new DecisionLog(System.out));
    }

    /** The same graph over a given HTTP client and credentials: SnapStart priming passes a {@link CannedHttpClient}. */
    static HttpFunction readFunction(ReadConfig config, SdkHttpClient http, AwsCredentialsProvider credentials,
                                     DecisionLog log) {
        Clock clock = Clock.systemUTC();
        var queries = new DataApiApprovalQueries(AwsClients.rdsData(config.function(), http, credentials),
                config.function().database(), clock, Sleeper.THREAD);
        var routes = new ReadRoutes(new ReadService(queries), config.cursors(), config.approverGroup());
        return new HttpFunction(routes.routes(), clock, log);
    }
}
