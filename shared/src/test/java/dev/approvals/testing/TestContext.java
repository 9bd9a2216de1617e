package dev.approvals.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A Lambda context with a fresh request id and 25 s left, like a real invocation, invoked through the unqualified
 * function unless an alias is named (the decision functions accept only their aliases {@code http} and
 * {@code workflow}: docs/security.md).
 */
public final class TestContext implements Context {

    public static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:test-function";

    private final String requestId;
    private final int remainingMillis;
    private final String invokedArn;

    public TestContext() {
        this(UUID.randomUUID().toString(), 25_000);
    }

    public TestContext(String requestId, int remainingMillis) {
        this(requestId, remainingMillis, null);
    }

    /** @param qualifier the alias invoked (e.g. {@code http}), or null for the unqualified function */
    public TestContext(String requestId, int remainingMillis, String qualifier) {
        this.requestId = requestId;
        this.remainingMillis = remainingMillis;
        this.invokedArn = qualifier == null ? FUNCTION_ARN : FUNCTION_ARN + ":" + qualifier;
    }

    /** A fresh invocation through the alias {@code qualifier}. */
    public static TestContext through(String qualifier) {
        return new TestContext(UUID.randomUUID().toString(), 25_000, qualifier);
    }

    /** Through the alias the event's caller would use: {@code http} for API Gateway's events, else {@code workflow}. */
    public static TestContext forEvent(byte[] event) {
        return through(new String(event, StandardCharsets.UTF_8).contains("\"requestContext\"") ? "http" : "workflow");
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/test";
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return "test-function";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remainingMillis;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.print(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
