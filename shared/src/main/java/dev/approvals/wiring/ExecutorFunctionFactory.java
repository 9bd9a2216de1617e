package dev.approvals.wiring;

import dev.approvals.actions.LogAction;
import dev.approvals.actions.WebhookAction;
import dev.approvals.core.ActionExecutor;
import dev.approvals.core.ApprovedAction;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.invocation.ExecuteActionFunction;
import dev.approvals.store.DataApiExecutionStore;
import dev.approvals.store.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds the executor from its environment, as the executor role, with the configured action. */
public final class ExecutorFunctionFactory {

    private ExecutorFunctionFactory() {
    }

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static ExecuteActionFunction executeActionFunction(Map<String, String> env) {
        ExecutorConfig config = ExecutorConfig.fromEnvironment(env);
        ApprovedAction action = config.webhook()
                .<ApprovedAction>map(url -> new WebhookAction(url, Duration.ofSeconds(10)))
                .orElseGet(() -> new LogAction(System.out));
        return executeActionFunction(config, action);
    }

    /** The same graph with another action: how a deployment plugs in its own. */
    public static ExecuteActionFunction executeActionFunction(ExecutorConfig config, ApprovedAction action) {
        Clock clock = Clock.systemUTC();
        var store = new DataApiExecutionStore(AwsClients.rdsData(config.function()), config.function().database(),
                clock, Sleeper.THREAD);
        return new ExecuteActionFunction(new ActionExecutor(store, action), clock, new DecisionLog(System.out));
    }
}
