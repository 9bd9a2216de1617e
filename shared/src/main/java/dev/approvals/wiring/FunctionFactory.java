package dev.approvals.wiring;

import dev.approvals.callback.StepFunctionsCallbacks;
import dev.approvals.core.Decision;
import dev.approvals.core.DecisionService;
import dev.approvals.core.EventPublisher;
import dev.approvals.invocation.DecisionFunction;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.store.DataApiApprovalStore;
import dev.approvals.store.Sleeper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

import java.time.Clock;
import java.util.Map;

/**
 * Builds the approve and reject functions' production object graph from their environment, once per execution
 * environment. The read, propose and workflow functions have their own factories ({@link ReadFunctionFactory},
 * {@link ProposeFunctionFactory}, {@link WorkflowFunctionFactory}), so that no function loads, or reads the
 * configuration of, another's parts.
 */
public final class FunctionFactory {

    private FunctionFactory() {
    }

    /**
     * @throws InvalidConfigurationException naming the first variable that is missing or wrong, so a misconfigured
     *                                       function fails its init instead of its requests
     */
    public static DecisionFunction decisionFunction(Decision decision, Map<String, String> env) {
        DecisionConfig config = DecisionConfig.fromEnvironment(env);
        if (SnapStartPriming.SNAPSHOT_INIT.equals(env.get(EnvironmentVariables.AWS_LAMBDA_INITIALIZATION_TYPE))) {
            SnapStartPriming.register(new DecisionPriming(decision, config));
        }
        return decisionFunction(decision, config, AwsClients.httpClient(), new LambdaCredentials(),
                config.events().publisher(config.function().region()), FunctionLogs.standardOutput(env));
    }

    /**
     * The same graph over a given HTTP client and credentials, publishing no events: SnapStart priming and benchmarks
     * pass a {@link CannedHttpClient}.
     */
    public static DecisionFunction decisionFunction(Decision decision, DecisionConfig config, SdkHttpClient http,
                                                    AwsCredentialsProvider credentials, DecisionLog log) {
        return decisionFunction(decision, config, http, credentials, EventPublisher.NONE, log);
    }

    private static DecisionFunction decisionFunction(Decision decision, DecisionConfig config, SdkHttpClient http,
                                                     AwsCredentialsProvider credentials, EventPublisher events,
                                                     DecisionLog log) {
        Clock clock = Clock.systemUTC();
        var store = new DataApiApprovalStore(AwsClients.rdsData(config.function(), http, credentials),
                config.function().database(), clock, Sleeper.THREAD);
        var callbacks = new StepFunctionsCallbacks(new LazySfnClient(config.function().region(),
                config.stepFunctionsEndpoint()));
        return new DecisionFunction(decision, config.approverGroup(), config.workflowActor(),
                new DecisionService(store), callbacks, events, clock, log);
    }
}
