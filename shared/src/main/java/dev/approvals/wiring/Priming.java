package dev.approvals.wiring;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the SnapStart primers ({@link DecisionPriming}, {@link ReadPriming}, {@link ProposePriming}) share: dummy
 * credentials, a log to nowhere, HTTP API events, Data API answers as the service sends them, and invoking a
 * function in this JVM with a Lambda context of its own, failing the init if the answer is not the one intended.
 */
final class Priming {

    /** The approval the canned answers describe. */
    static final String APPROVAL_ID = "00000000-0000-4000-8000-00000000beef";
    static final String CALLER = "snapstart-priming";
    /** {@code Row.VISIBLE_COLUMNS}, in order, as the Data API labels them. */
    static final List<String> VISIBLE_COLUMNS = List.of("id", "status", "version", "action_type", "action_payload",
            "requested_by", "requested_at", "expires_at", "decided_by", "decided_at", "decision_reason");

    /** A function's entry point: {@code DecisionFunction::handle}, {@code HttpFunction::handle}. */
    @FunctionalInterface
    interface Handler {
        void handle(InputStream input, OutputStream output, Context context) throws IOException;
    }

    private Priming() {
    }

    static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
    }

    /** Priming logs nothing: the first log line is the first real request's. */
    static DecisionLog silentLog() {
        return new DecisionLog(new PrintStream(OutputStream.nullOutputStream()));
    }

    static Map<?, ?> invoke(Handler function, Map<String, Object> event) {
        return invoke(function, event, null);
    }

    /** As {@link #invoke(Handler, Map)}, through the alias {@code qualifier} (a decision function's entry path). */
    static Map<?, ?> invoke(Handler function, Map<String, Object> event, String qualifier) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            function.handle(new ByteArrayInputStream(Json.writeBytes(event)), answer, new PrimingContext(qualifier));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (Map<?, ?>) Json.parse(answer.toByteArray());
    }

    /**
     * Priming a path other than the one intended (say the canned event no longer passes validation) would leave
     * the real one cold without a trace: fail the init instead, so the snapshot is never taken.
     */
    static void expect(Map<?, ?> answer, String member, int value) {
        if (!(answer.get(member) instanceof Number number) || number.intValue() != value) {
            throw new IllegalStateException("SnapStart priming took an unexpected path: " + member + " is "
                    + answer.get(member) + ", not " + value);
        }
    }

    /**
     * An HTTP API (payload 2.0) request from {@link #CALLER}, in {@code group} if there is one.
     *
     * @param routeKey e.g. {@code GET /approvals/{id}}; the path is {@code path}, its id {@link #APPROVAL_ID}
     * @param query    the raw query string, or empty
     * @param body     the JSON body, or null
     */
    static Map<String, Object> httpEvent(String routeKey, String path, String query, Map<String, String> headers,
                                         String body, Optional<String> group) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", CALLER);
        group.ifPresent(g -> claims.put("cognito:groups", "[" + g + "]"));
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", query);
        event.put("headers", headers);
        event.put("requestContext", Map.of("requestId", "priming", "http", Map.of("method", method, "path", path),
                "authorizer", Map.of("jwt", Map.of("claims", claims))));
        if (routeKey.contains("{id}")) {
            event.put("pathParameters", Map.of("id", APPROVAL_ID));
        }
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    /**
     * An {@code ExecuteStatement} answer as the Data API sends it to the stores, which ask for no result metadata.
     *
     * @param records each record's values, in the order of {@code columns}
     */
    static byte[] statementResult(List<String> columns, List<List<Map<String, Object>>> records, int updated) {
        for (List<Map<String, Object>> record : records) {
            if (record.size() != columns.size()) {
                throw new IllegalArgumentException("A canned record of " + record.size() + " values for "
                        + columns.size() + " columns");
            }
        }
        return Json.writeBytes(Map.of("numberOfRecordsUpdated", updated, "records", records));
    }

    /**
     * The values of the approval's {@link #VISIBLE_COLUMNS}: at {@code version} in {@code status}, decided by
     * {@code decidedBy} (null: undecided).
     */
    static List<Map<String, Object>> visibleValues(String status, int version, String decidedBy) {
        return new ArrayList<>(List.of(Map.of("stringValue", APPROVAL_ID), Map.of("stringValue", status),
                Map.of("longValue", version), Map.of("stringValue", "refund"),
                Map.of("stringValue", "{\"amount\": 42}"), Map.of("stringValue", "agent"),
                Map.of("stringValue", "2026-01-01 00:00:00.123456"), Map.of("isNull", true),
                decidedBy == null ? Map.of("isNull", true) : Map.of("stringValue", decidedBy),
                decidedBy == null ? Map.of("isNull", true) : Map.of("stringValue", "2026-01-01 00:01:00.5"),
                decidedBy == null ? Map.of("isNull", true) : Map.of("stringValue", "priming")));
    }

    static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** What a primer's invocation sees of Lambda: a fixed request id and the function's whole timeout ahead. */
    private static final class PrimingContext implements Context {
        private final String invokedArn;

        PrimingContext(String qualifier) {
            this.invokedArn = qualifier == null ? null
                    : "arn:aws:lambda:us-east-1:000000000000:function:snapstart-priming:" + qualifier;
        }

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
