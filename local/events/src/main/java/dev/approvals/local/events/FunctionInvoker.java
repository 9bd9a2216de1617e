package dev.approvals.local.events;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Runs a local Lambda function once, as the Lambda service would for one asynchronous invocation attempt. */
@FunctionalInterface
public interface FunctionInvoker {

    /**
     * @return completes with the function error's type ({@code errorType}, e.g. {@code Sandbox.Timedout}), or
     *         empty when the function returned normally; completes exceptionally when the function could not run
     *         (unknown, stopped)
     */
    CompletableFuture<Optional<String>> invoke(String functionName, Optional<String> qualifier, byte[] payload);
}
