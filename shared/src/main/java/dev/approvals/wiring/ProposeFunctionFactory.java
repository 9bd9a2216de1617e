package dev.approvals.wiring;

import dev.approvals.core.EventPublisher;
import dev.approvals.core.ProposalService;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.invocation.HttpFunction;
import dev.approvals.invocation.ProposeRoute;
import dev.approvals.store.DataApiProposalStore;
import dev.approvals.store.Sleeper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Builds the propose function ({@code POST /approvals}) from its environment. */
public final class ProposeFunctionFactory {

    private ProposeFunctionFactory() {
    }

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static HttpFunction proposeFunction(Map<String, String> env) {
        ProposeConfig config = ProposeConfig.fromEnvironment(env);
        if (SnapStartPriming.SNAPSHOT_INIT.equals(env.get(EnvironmentVariables.AWS_LAMBDA_INITIALIZATION_TYPE))) {
            SnapStartPriming.register(new ProposePriming(config));
        }
        return proposeFunction(config, AwsClients.httpClient(), new LambdaCredentials(),
                config.events().publisher(config.function().region()), FunctionLogs.standardOutput(env));
    }

    /** The same graph over a given HTTP client and credentials, publishing nothing: SnapStart priming passes a {@link CannedHttpClient}. */
    static HttpFunction proposeFunction(ProposeConfig config, SdkHttpClient http, AwsCredentialsProvider credentials,
                                        DecisionLog log) {
        return proposeFunction(config, http, credentials, EventPublisher.NONE, log);
    }

    private static HttpFunction proposeFunction(ProposeConfig config, SdkHttpClient http,
                                                AwsCredentialsProvider credentials, EventPublisher events,
                                                DecisionLog log) {
        Clock clock = Clock.systemUTC();
        var store = new DataApiProposalStore(AwsClients.rdsData(config.function(), http, credentials),
                config.function().database(), clock, Sleeper.THREAD);
        var route = new ProposeRoute(new ProposalService(store, events), UUID::randomUUID, config.proposerGroup(), clock);
        return new HttpFunction(route.routes(), clock, log);
    }
}
