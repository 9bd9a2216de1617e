package dev.approvals.wiring;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.approvals.core.Decision;
import dev.approvals.invocation.DecisionFunction;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Primes a decision function's request path: an HTTP decision that wins, one refused as already decided, and a
 * direct one that wins, each through a graph like the function's own (same decision, configuration and code)
 * whose SDK client answers from {@link CannedHttpClient} with dummy credentials. No database, no network, no log
 * line; and each must end as intended, or the init fails.
 */
public final class DecisionPriming implements Runnable {

    /** The approval the canned answers describe. */
    public static final String APPROVAL_ID = "00000000-0000-4000-8000-00000000beef";
    private static final String CALLER = "snapstart-priming";
    private static final List<String> COLUMNS = List.of("decided", "expired", "id", "status", "version",
            "action_type", "action_payload", "requested_by", "requested_at", "expires_at", "decided_by",
            "decided_at", "decision_reason", "decision_key", "task_token");

    private final Decision decision;
    private final DecisionConfig config;

    public DecisionPriming(Decision decision, DecisionConfig config) {
        this.decision = decision;
        this.config = config;
    }

    @Override
    public void run() {
        byte[] won = statementResult(true, decision.targetStatus().wireName(), CALLER);
        byte[] alreadyDecided = statementResult(false, "approved", "someone-else");
        DecisionFunction function = FunctionFactory.decisionFunction(decision, config,
                new CannedHttpClient(List.of(won, alreadyDecided, won)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")),
                new DecisionLog(new PrintStream(OutputStream.nullOutputStream())));
        expect(invoke(function, httpEvent()), "statusCode", 200);
        expect(invoke(function, httpEvent()), "statusCode", 409);
        expect(invoke(function, Map.of("approvalId", APPROVAL_ID, "expectedVersion", 1, "actor", CALLER,
                "reason", "priming", "idempotencyKey", "priming")), "version", 2);
    }

    private static Map<?, ?> invoke(DecisionFunction function, Map<String, Object> event) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            function.handle(new ByteArrayInputStream(Json.writeBytes(event)), answer, new PrimingContext());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (Map<?, ?>) Json.parse(answer.toByteArray());
    }

    /**
     * Priming a path other than the one intended (say the canned event no longer passes validation) would leave
     * the real one cold without a trace: fail the init instead, so the snapshot is never taken.
     */
    private static void expect(Map<?, ?> answer, String member, int value) {
        if (!(answer.get(member) instanceof Number number) || number.intValue() != value) {
            throw new IllegalStateException("SnapStart priming took an unexpected path: " + member + " is "
                    + answer.get(member) + ", not " + value);
        }
    }

    /** An HTTP API (payload 2.0) request to decide, from a caller in the approver group if there is one. */
    private Map<String, Object> httpEvent() {
        String path = "/approvals/" + APPROVAL_ID + "/" + decision.name().toLowerCase(java.util.Locale.ROOT);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", CALLER);
        config.approverGroup().ifPresent(group -> claims.put("cognito:groups", "[" + group + "]"));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "POST /approvals/{id}/" + decision.name().toLowerCase(java.util.Locale.ROOT));
        event.put("rawPath", path);
        event.put("headers", Map.of("content-type", "application/json", "idempotency-key", "\"priming\""));
        event.put("requestContext", Map.of("requestId", "priming", "http", Map.of("method", "POST", "path", path),
                "authorizer", Map.of("jwt", Map.of("claims", claims))));
        event.put("pathParameters", Map.of("id", APPROVAL_ID));
        event.put("body", "{\"expectedVersion\": 1, \"reason\": \"priming\"}");
        event.put("isBase64Encoded", false);
        return event;
    }

    /**
     * An {@code ExecuteStatement} answer as the Data API sends it: the decision statement's one row, {@code decided}
     * or not, the approval at version 2 in {@code status}, decided by {@code decidedBy}.
     */
    public static byte[] statementResult(boolean decided, String status, String decidedBy) {
        List<Object> row = new ArrayList<>(List.of(Map.of("booleanValue", decided), Map.of("booleanValue", false),
                Map.of("stringValue", APPROVAL_ID), Map.of("stringValue", status), Map.of("longValue", 2),
                Map.of("stringValue", "refund"), Map.of("stringValue", "{\"amount\": 42}"),
                Map.of("stringValue", "agent"), Map.of("stringValue", "2026-01-01 00:00:00.123456"),
                Map.of("isNull", true), Map.of("stringValue", decidedBy),
                Map.of("stringValue", "2026-01-01 00:01:00.5"), Map.of("stringValue", "priming"),
                Map.of("stringValue", "priming"), Map.of("isNull", true)));
        return Json.writeBytes(Map.of("columnMetadata", COLUMNS.stream().map(c -> Map.of("name", c, "label", c))
                .toList(), "numberOfRecordsUpdated", decided ? 1 : 0, "records", List.of(row)));
    }

    /** What a primer's invocation sees of Lambda: a fixed request id and the function's whole timeout ahead. */
    private static final class PrimingContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "snapstart-priming";
        }

        @Override
        public String getLogGroupName() {
            return "snapstart-priming";
        }

        @Override
        public String getLogStreamName() {
            return "snapstart-priming";
        }

        @Override
        public String getFunctionName() {
            return "snapstart-priming";
        }

        @Override
        public String getFunctionVersion() {
            return "snapstart-priming";
        }

        @Override
        public String getInvokedFunctionArn() {
            return null;
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
            return 25_000;
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
}
