package dev.approvals.wiring;

import dev.approvals.callback.StepFunctionsCallbacks;
import dev.approvals.core.EventPublisher;
import dev.approvals.core.ProposalService;
import dev.approvals.core.ReadService;
import dev.approvals.core.WorkflowSteps;
import dev.approvals.invocation.WorkflowFunction;
import dev.approvals.store.DataApiApprovalQueries;
import dev.approvals.store.DataApiProposalStore;
import dev.approvals.store.DataApiWorkflowStore;
import dev.approvals.store.Sleeper;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.time.Clock;
import java.util.Map;

/**
 * Builds the workflow function (the steps of {@code ApprovalFlow}) from its environment: the same proposal and read
 * code as the propose and read functions, the workflow's own statements, all as the workflow's database role.
 */
public final class WorkflowFunctionFactory {

    private WorkflowFunctionFactory() {
    }

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static WorkflowFunction workflowFunction(Map<String, String> env) {
        WorkflowConfig config = WorkflowConfig.fromEnvironment(env);
        Clock clock = Clock.systemUTC();
        RdsDataClient rdsData = AwsClients.rdsData(config.function());
        var target = config.function().database();
        EventPublisher events = config.events().publisher(config.function().region());
        var steps = new WorkflowSteps(
                new ProposalService(new DataApiProposalStore(rdsData, target, clock, Sleeper.THREAD), events),
                new ReadService(new DataApiApprovalQueries(rdsData, target, clock, Sleeper.THREAD)),
                new DataApiWorkflowStore(rdsData, target, clock, Sleeper.THREAD),
                config.autoApproval(), events);
        var callbacks = new StepFunctionsCallbacks(new LazySfnClient(config.function().region(),
                config.stepFunctionsEndpoint()));
        return new WorkflowFunction(steps, callbacks, clock, FunctionLogs.standardOutput(env));
    }
}
