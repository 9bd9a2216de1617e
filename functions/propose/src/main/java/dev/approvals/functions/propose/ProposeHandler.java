package dev.approvals.functions.propose;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.invocation.HttpFunction;
import dev.approvals.wiring.ProposeFunctionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Lambda entry point of {@code POST /approvals}: {@code dev.approvals.functions.propose.ProposeHandler::handleRequest}. */
public final class ProposeHandler implements RequestStreamHandler {

    private final HttpFunction function;

    /** Called once per execution environment by the Lambda runtime: configuration is read and checked here. */
    public ProposeHandler() {
        this(ProposeFunctionFactory.proposeFunction(System.getenv()));
    }

    /** For tests and embedders that build the function themselves. */
    public ProposeHandler(HttpFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        function.handle(input, output, context);
    }
}
