package dev.approvals.wiring;

import dev.approvals.callback.StepFunctionsCallbacks;
import dev.approvals.core.Decision;
import dev.approvals.core.DecisionService;
import dev.approvals.invocation.DecisionFunction;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.store.DataApiApprovalStore;
import dev.approvals.store.Sleeper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

import java.time.Clock;
import java.util.Map;

/** Builds each function's production object graph from its environment, once per execution environment. */
public final class FunctionFactory {

    private FunctionFactory() {
    }

    /**
     * @throws InvalidConfigurationException naming the first variable that is missing or wrong, so a misconfigured
     *                                       function fails its init instead of its requests
     */
    public static DecisionFunction decisionFunction(Decision decision, Map<String, String> env) {
        FunctionConfig config = FunctionConfig.fromEnvironment(env);
        SnapStartPriming.register(env, new DecisionPriming(decision, config));
        return decisionFunction(decision, config, AwsClients.urlConnection(), DefaultCredentialsProvider.builder().build(),
                new DecisionLog(System.out));
    }

    /**
     * The same graph over a given HTTP client and credentials: SnapStart priming and benchmarks pass a
     * {@link CannedHttpClient}.
     */
    public static DecisionFunction decisionFunction(Decision decision, FunctionConfig config, SdkHttpClient http,
                                                    AwsCredentialsProvider credentials, DecisionLog log) {
        Clock clock = Clock.systemUTC();
        var store = new DataApiApprovalStore(AwsClients.rdsData(config, http, credentials), config.database(), clock,
                Sleeper.THREAD);
        var callbacks = new StepFunctionsCallbacks(new LazySfnClient(config));
        return new DecisionFunction(decision, config.approverGroup(), new DecisionService(store), callbacks, clock,
                log);
    }
}
