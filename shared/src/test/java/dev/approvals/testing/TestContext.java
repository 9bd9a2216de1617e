package dev.approvals.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The tests' one Lambda context: by default a fresh request id, 25 s left and the unqualified function named
 * {@code test-function}, like a real invocation; {@link #through} names the alias invoked (the decision functions
 * accept only their aliases {@code http} and {@code workflow}: docs/security.md), and the {@code with} methods give a
 * test the function, version, log stream or remaining time it is about.
 */
public final class TestContext implements Context {

    public static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:test-function";

    private final String requestId;
    private final int remainingMillis;
    private final String functionName;
    private final String functionVersion;
    private final String logStreamName;
    private final String qualifier;

    public TestContext() {
        this(UUID.randomUUID().toString(), 25_000);
    }

    public TestContext(String requestId, int remainingMillis) {
        this(requestId, remainingMillis, null);
    }

    /** @param qualifier the alias invoked (e.g. {@code http}), or null for the unqualified function */
    public TestContext(String requestId, int remainingMillis, String qualifier) {
        this(requestId, remainingMillis, "test-function", "$LATEST", "test", qualifier);
    }

    private TestContext(String requestId, int remainingMillis, String functionName, String functionVersion,
                        String logStreamName, String qualifier) {
        this.requestId = requestId;
        this.remainingMillis = remainingMillis;
        this.functionName = functionName;
        this.functionVersion = functionVersion;
        this.logStreamName = logStreamName;
        this.qualifier = qualifier;
    }

    /** A fresh invocation through the alias {@code qualifier}. */
    public static TestContext through(String qualifier) {
        return new TestContext(UUID.randomUUID().toString(), 25_000, qualifier);
    }

    /** Through the alias the event's caller would use: {@code http} for API Gateway's events, else {@code workflow}. */
    public static TestContext forEvent(byte[] event) {
        return through(new String(event, StandardCharsets.UTF_8).contains("\"requestContext\"") ? "http" : "workflow");
    }

    /** The same context running {@code version} of function {@code name}, invoked by that version. */
    public TestContext withFunction(String name, String version) {
        return new TestContext(requestId, remainingMillis, name, version, logStreamName,
                version.equals("$LATEST") ? null : version);
    }

    public TestContext withLogStream(String name) {
        return new TestContext(requestId, remainingMillis, functionName, functionVersion, name, qualifier);
    }

    public TestContext withRemainingMillis(int millis) {
        return new TestContext(requestId, millis, functionName, functionVersion, logStreamName, qualifier);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return logStreamName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return functionVersion;
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName
                + (qualifier == null ? "" : ":" + qualifier);
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
