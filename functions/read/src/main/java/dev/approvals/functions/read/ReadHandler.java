package dev.approvals.functions.read;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.invocation.HttpFunction;
import dev.approvals.wiring.ReadFunctionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry point of {@code GET /approvals/{id}} and {@code GET /approvals}:
 * {@code dev.approvals.functions.read.ReadHandler::handleRequest}.
 */
public final class ReadHandler implements RequestStreamHandler {

    private final HttpFunction function;

    /** Called once per execution environment by the Lambda runtime: configuration is read and checked here. */
    public ReadHandler() {
        this(ReadFunctionFactory.readFunction(System.getenv()));
    }

    /** For tests and embedders that build the function themselves. */
    public ReadHandler(HttpFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        function.handle(input, output, context);
    }
}
