package dev.approvals.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

/**
 * Runs inside a fresh JVM beside a function's unpacked artifact: constructs the handler (Lambda's init) and
 * invokes it once with an event file (the first invocation), then prints the timings and the answer. It uses the
 * JDK and the Lambda core interfaces only, so it adds next to nothing to what the JVM loads.
 *
 * <p>Usage: {@code FirstInvocation <handler class> <event file>}
 */
public final class FirstInvocation {

    private FirstInvocation() {
    }

    public static void main(String[] args) throws Exception {
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        long initStart = System.nanoTime();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        long invokeStart = System.nanoTime();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        String outcome = "answer";
        try {
            handler.handleRequest(new ByteArrayInputStream(event), answer, new BenchContext());
        } catch (RuntimeException thrown) {
            outcome = "thrown " + thrown.getClass().getName();
        }
        long end = System.nanoTime();
        System.out.println("INIT_MS=" + (invokeStart - initStart) / 1e6);
        System.out.println("INVOKE_MS=" + (end - invokeStart) / 1e6);
        System.out.println("OUTCOME=" + outcome);
        System.out.println("ANSWER=" + Base64.getEncoder().encodeToString(answer.toByteArray()));
        System.out.flush();
    }

    /** A context like Lambda's for a 25 s function. */
    private static final class BenchContext implements Context {
        private final String requestId = UUID.randomUUID().toString();
        private final long deadline = System.currentTimeMillis() + 25_000;

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/bench";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return "bench";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:bench";
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
            return (int) (deadline - System.currentTimeMillis());
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
                    System.err.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
