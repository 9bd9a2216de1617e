package dev.approvals.functions.execute;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.invocation.ExecuteActionFunction;
import dev.approvals.wiring.ExecutorFunctionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Lambda entry point of the executor: {@code dev.approvals.functions.execute.ExecuteActionHandler::handleRequest}. */
public final class ExecuteActionHandler implements RequestStreamHandler {

    private final ExecuteActionFunction function;

    /** Called once per execution environment by the Lambda runtime: configuration is read and checked here. */
    public ExecuteActionHandler() {
        this(ExecutorFunctionFactory.executeActionFunction(System.getenv()));
    }

    /** For tests and embedders that build the function themselves (with their own action, say). */
    public ExecuteActionHandler(ExecuteActionFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        function.handle(input, output, context);
    }
}
