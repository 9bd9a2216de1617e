package dev.approvals.functions;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.approvals.core.Decision;
import dev.approvals.functions.approve.ApproveHandler;
import dev.approvals.json.Json;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.testing.TestContext;
import dev.approvals.wiring.FunctionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log line of a real local decision (the approve handler, the local Data API, PostgreSQL) carries its metrics in
 * CloudWatch Embedded Metric Format: valid against the format's schema (written from the public specification, in
 * {@code src/test/resources/emf/}), every dimension and metric it names present at the root, and the values right
 * for the outcome. Also: the X-Ray trace id of the invocation, and Lambda's log level honoured.
 */
class EmbeddedMetricsIT {

    private static final String SCHEMA_URI = "https://approvals.dev/schemas/embedded-metric-format.schema.json";

    private static LocalApprovals local;
    private static Schema schema;

    @BeforeAll
    static void start() throws IOException {
        local = LocalApprovals.create("emf");
        try (InputStream in = EmbeddedMetricsIT.class.getResourceAsStream("/emf/embedded-metric-format.schema.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            schema = SchemaRegistry.withDialect(Dialects.getDraft7(), registry -> registry.schemas(Map.of(SCHEMA_URI, text)))
                    .getSchema(SchemaLocation.of(SCHEMA_URI));
        }
    }

    @Test
    void aWonDecision_logsOneLine_withItsMetricsInEmbeddedMetricFormat() {
        Logged logged = approve(Map.of(), local.seedPending(), 1, null);

        Map<String, Object> line = logged.single();
        assertThat(schemaErrors(logged.lines.getFirst())).isEmpty();
        assertThat(targetMembersMissing(line)).isEmpty();
        assertThat(line).containsEntry("level", "INFO").containsEntry("message", "decision")
                .containsEntry("function", "test-function").containsEntry("outcome", "won")
                .containsEntry("Decisions", 1).containsEntry("Conflicts", 0).containsEntry("ResumingWaits", 0)
                .doesNotContainKey("Callbacks");
        assertThat((List<?>) line.get("DataApiLatency")).singleElement()
                .satisfies(ms -> assertThat(((Number) ms).doubleValue()).isPositive());
        assertThat(directives(line)).extracting(d -> d.get("Namespace")).containsOnly("Approvals");
        assertThat(directives(line)).extracting(d -> d.get("Dimensions")).containsExactly(
                List.of(List.of("function", "outcome")), List.of(List.of("function")));
        assertThat(((Map<?, ?>) line.get("_aws")).get("Timestamp")).isInstanceOf(Long.class);
    }

    @Test
    void aConflict_countsAsADecisionOfItsKind_andAsAConflict() {
        UUID id = local.seedPending();
        approve(Map.of(), id, 1, null);

        Logged logged = approve(Map.of(), id, 1, null);

        Map<String, Object> line = logged.single();
        assertThat(schemaErrors(logged.lines.getFirst())).isEmpty();
        assertThat(targetMembersMissing(line)).isEmpty();
        assertThat(line).containsEntry("outcome", "already-decided").containsEntry("Conflicts", 1)
                .containsEntry("Decisions", 1).containsEntry("error", "ApprovalAlreadyDecidedException");
    }

    @Test
    void resumingWaits_areCounted_eachAttemptTimed() {
        UUID id = local.seedPending();
        local.dataApi.faults().resumingForNextCalls(2);

        Map<String, Object> line = approve(Map.of(), id, 1, null).single();

        assertThat(line).containsEntry("outcome", "won").containsEntry("ResumingWaits", 2);
        assertThat((List<?>) line.get("DataApiLatency")).hasSize(3);
        assertThat(targetMembersMissing(line)).isEmpty();
    }

    @Test
    void badInput_isRefusedInput() {
        Map<String, Object> line = approve(Map.of(), local.seedPending(), 0, null).single();

        assertThat(line).containsEntry("outcome", "refused-input").containsEntry("Conflicts", 0)
                .doesNotContainKey("DataApiLatency");
        assertThat(targetMembersMissing(line)).isEmpty();
    }

    @Test
    void theInvocationsTraceId_isInItsLine() {
        String header = "Root=1-6746f2a0-1c2b3d4e5f60718293a4b5c6;Parent=53995c3f42cd8ad8;Sampled=1";

        Map<String, Object> line = approve(Map.of(), local.seedPending(), 1, header).single();

        assertThat(line).containsEntry("traceId", "1-6746f2a0-1c2b3d4e5f60718293a4b5c6");
    }

    @Test
    void lambdasJsonLogFormat_addsATimestamp_andALevelAboveInfo_keepsOnlyTheMetrics() {
        Map<String, Object> json = approve(Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON", "AWS_LAMBDA_LOG_LEVEL", "INFO"),
                local.seedPending(), 1, null).single();
        assertThat(json).containsEntry("level", "INFO").containsKey("timestamp");

        Logged warn = approve(Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON", "AWS_LAMBDA_LOG_LEVEL", "WARN"),
                local.seedPending(), 1, null);

        Map<String, Object> metricsOnly = warn.single();
        assertThat(metricsOnly).doesNotContainKeys("level", "message", "approvalId", "version")
                .containsEntry("outcome", "won").containsEntry("Decisions", 1).containsKey("requestId");
        assertThat(schemaErrors(warn.lines.getFirst())).isEmpty();
        assertThat(targetMembersMissing(metricsOnly)).isEmpty();
    }

    /** What a decision logged: its lines, as written. */
    record Logged(List<String> lines) {
        @SuppressWarnings("unchecked")
        Map<String, Object> single() {
            assertThat(lines).hasSize(1);
            return (Map<String, Object>) Json.parse(lines.getFirst().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An approve handler wired as the runtime wires it (its environment plus {@code logEnv}), its output captured. */
    private static Logged approve(Map<String, String> logEnv, UUID id, int version, String traceHeader) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        RequestStreamHandler handler;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // the log keeps the stream it gets
        try {
            handler = new ApproveHandler(FunctionFactory.decisionFunction(Decision.APPROVE,
                    local.environment(DatabaseRoles.APPROVER, logEnv)));
        } finally {
            System.setOut(original);
        }
        if (traceHeader != null) {
            System.setProperty("com.amazonaws.xray.traceHeader", traceHeader);
        }
        try {
            Answer.invoke(handler, Shape.HTTP_API.event(Decision.APPROVE, id, version, "emf-" + UUID.randomUUID())
                    .bytes(), new TestContext("emf-" + id, 25_000, "http"));
        } finally {
            System.clearProperty("com.amazonaws.xray.traceHeader");
        }
        String text = captured.toString(StandardCharsets.UTF_8).strip();
        return new Logged(text.isEmpty() ? List.of() : List.of(text.split("\n")));
    }

    private static List<String> schemaErrors(String line) {
        List<String> errors = new ArrayList<>();
        for (Error error : schema.validate(line, InputFormat.JSON)) {
            errors.add(error.toString());
        }
        return errors;
    }

    /**
     * What the specification asks beyond the schema: each dimension a directive names is a string member of the
     * root, each metric a number or an array of at most 100 numbers.
     */
    private static List<String> targetMembersMissing(Map<String, Object> line) {
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> directive : directives(line)) {
            for (Object set : (List<?>) directive.get("Dimensions")) {
                for (Object dimension : (List<?>) set) {
                    if (!(line.get(dimension) instanceof String)) {
                        missing.add("dimension " + dimension);
                    }
                }
            }
            for (Object metric : (List<?>) directive.get("Metrics")) {
                Object value = line.get(((Map<?, ?>) metric).get("Name"));
                boolean number = value instanceof Number;
                boolean numbers = value instanceof List<?> list && !list.isEmpty() && list.size() <= 100
                        && list.stream().allMatch(Number.class::isInstance);
                if (!number && !numbers) {
                    missing.add("metric " + metric);
                }
            }
        }
        return missing;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> directives(Map<String, Object> line) {
        return (List<Map<String, Object>>) ((Map<String, Object>) line.get("_aws")).get("CloudWatchMetrics");
    }
}
