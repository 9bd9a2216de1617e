package dev.approvals.functions.approve;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.core.Decision;
import dev.approvals.invocation.DecisionFunction;
import dev.approvals.wiring.FunctionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Lambda entry point: {@code dev.approvals.functions.approve.ApproveHandler::handleRequest}. */
public final class ApproveHandler implements RequestStreamHandler {

    private final DecisionFunction function;

    /** Called once per execution environment by the Lambda runtime: configuration is read and checked here. */
    public ApproveHandler() {
        this(FunctionFactory.decisionFunction(Decision.APPROVE, System.getenv()));
    }

    /** For tests and embedders that build the function themselves. */
    public ApproveHandler(DecisionFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        function.handle(input, output, context);
    }
}
