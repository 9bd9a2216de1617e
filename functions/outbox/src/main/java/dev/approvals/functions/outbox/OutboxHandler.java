package dev.approvals.functions.outbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.invocation.OutboxFunction;
import dev.approvals.wiring.OutboxFunctionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Lambda entry point of the outbox function: {@code dev.approvals.functions.outbox.OutboxHandler::handleRequest}. */
public final class OutboxHandler implements RequestStreamHandler {

    private final OutboxFunction function;

    /** Called once per execution environment by the Lambda runtime: configuration is read and checked here. */
    public OutboxHandler() {
        this(OutboxFunctionFactory.outboxFunction(System.getenv()));
    }

    /** For tests and embedders that build the function themselves. */
    public OutboxHandler(OutboxFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        function.handle(input, output, context);
    }
}
