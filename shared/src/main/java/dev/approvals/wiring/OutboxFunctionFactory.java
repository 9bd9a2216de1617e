package dev.approvals.wiring;

import dev.approvals.core.OutboxSweeper;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.invocation.OutboxFunction;
import dev.approvals.store.DataApiOutboxStore;
import dev.approvals.store.Sleeper;

import java.time.Clock;
import java.util.Map;

/** Builds the outbox function (the sweeper, and the mark on delivery) from its environment, as the publisher role. */
public final class OutboxFunctionFactory {

    private OutboxFunctionFactory() {
    }

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static OutboxFunction outboxFunction(Map<String, String> env) {
        OutboxConfig config = OutboxConfig.fromEnvironment(env);
        Clock clock = Clock.systemUTC();
        var store = new DataApiOutboxStore(AwsClients.rdsData(config.function()), config.function().database(), clock,
                Sleeper.THREAD);
        var sweeper = new OutboxSweeper(store, config.events().publisher(config.function().region()), config.grace(),
                clock);
        return new OutboxFunction(sweeper, clock, new DecisionLog(System.out));
    }
}
