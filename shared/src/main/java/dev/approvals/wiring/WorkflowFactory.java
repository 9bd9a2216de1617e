package dev.approvals.wiring;

import dev.approvals.callback.StepFunctionsCallbacks;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.invocation.WorkflowFunction;
import dev.approvals.store.DataApiApprovalStore;
import dev.approvals.store.DataApiWorkflowStore;
import dev.approvals.store.Sleeper;
import dev.approvals.workflow.WorkflowSteps;

import java.time.Clock;
import java.util.Map;

/**
 * Builds the workflow function's object graph from its environment, once per execution environment. Kept apart from
 * {@link FunctionFactory} so that each function's code reads only the variables its template entry declares.
 */
public final class WorkflowFactory {

    private WorkflowFactory() {
    }

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static WorkflowFunction workflowFunction(Map<String, String> env) {
        WorkflowConfig config = WorkflowConfig.fromEnvironment(env);
        Clock clock = Clock.systemUTC();
        var statements = new DataApiApprovalStore(AwsClients.rdsData(config.aws()), config.aws().database(), clock,
                Sleeper.THREAD);
        var steps = new WorkflowSteps(new DataApiWorkflowStore(statements),
                new StepFunctionsCallbacks(new LazySfnClient(config.aws())), config.autoApproval());
        return new WorkflowFunction(steps, clock, new DecisionLog(System.out));
    }
}
