package dev.approvals.functions.workflow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.invocation.WorkflowFunction;
import dev.approvals.wiring.WorkflowFunctionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Lambda entry point: {@code dev.approvals.functions.workflow.WorkflowHandler::handleRequest}. */
public final class WorkflowHandler implements RequestStreamHandler {

    private final WorkflowFunction function;

    /** Called once per execution environment by the Lambda runtime: configuration is read and checked here. */
    public WorkflowHandler() {
        this(WorkflowFunctionFactory.workflowFunction(System.getenv()));
    }

    /** For tests and embedders that build the function themselves. */
    public WorkflowHandler(WorkflowFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        function.handle(input, output, context);
    }
}
