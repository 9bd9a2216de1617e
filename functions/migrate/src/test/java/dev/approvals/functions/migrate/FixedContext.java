package dev.approvals.functions.migrate;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** A Lambda context that always reports the same remaining time. */
record FixedContext(int remainingTimeInMillis) implements Context {

    @Override
    public String getAwsRequestId() {
        return "8a1c0e42-test-request";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/MigrateFunction";
    }

    @Override
    public String getLogStreamName() {
        return "2026/11/27/[live]test-stream";
    }

    @Override
    public String getFunctionName() {
        return "MigrateFunction";
    }

    @Override
    public String getFunctionVersion() {
        return "3"; // the version the test events' MigrationsVersion names
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:MigrateFunction:live";
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
        return remainingTimeInMillis;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
