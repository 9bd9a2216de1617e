package dev.approvals.functions.reject;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.core.Decision;
import dev.approvals.invocation.DecisionFunction;
import dev.approvals.wiring.FunctionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Lambda entry point: {@code dev.approvals.functions.reject.RejectHandler::handleRequest}. */
public final class RejectHandler implements RequestStreamHandler {

    private final DecisionFunction function;

    /** Called once per execution environment by the Lambda runtime: configuration is read and checked here. */
    public RejectHandler() {
        this(FunctionFactory.decisionFunction(Decision.REJECT, System.getenv()));
    }

    /** For tests and embedders that build the function themselves. */
    public RejectHandler(DecisionFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        function.handle(input, output, context);
    }
}
