package dev.approvals.invocation;

import dev.approvals.errors.ApprovalException;
import dev.approvals.errors.DecisionFailedException;
import dev.approvals.json.Json;
import dev.approvals.store.DataApiCalls;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON line per invocation (a decision, a read, a proposal, a workflow step) on standard output (CloudWatch keeps
 * it as structured JSON). It names ids, versions and outcomes, the X-Ray trace id, and carries the invocation's
 * metrics in Embedded Metric Format ({@link EmbeddedMetrics}); never reasons, tokens, secrets or whole events.
 *
 * <p>It honours Lambda's log settings ({@link LogSettings}): a line below {@code AWS_LAMBDA_LOG_LEVEL} is not
 * written; its metrics still are, alone on a line without a level (Lambda filters JSON lines by their
 * {@code level}, so that line passes, and the metrics the alarms read never depend on the log level).
 */
public final class DecisionLog {

    private static final int MAX_TRACE_LINES = 60;
    /** Where the Java runtime puts the invocation's X-Ray trace header. */
    static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private final PrintStream out;
    private final LogSettings settings;

    public DecisionLog(PrintStream out) {
        this(out, LogSettings.DEFAULT);
    }

    public DecisionLog(PrintStream out, LogSettings settings) {
        this.out = out;
        this.settings = settings;
    }

    /** Starts a line for one decision. */
    Line line(String requestId, String function) {
        return line(requestId, function, "decision");
    }

    /** Starts a line for one invocation; {@code message} says what it was (decision, read, list, propose, step). */
    Line line(String requestId, String function, String message) {
        return new Line(requestId, function, message);
    }

    private static List<String> trace(Throwable error) {
        List<String> lines = new ArrayList<>();
        for (Throwable t = error; t != null && lines.size() < MAX_TRACE_LINES; t = t.getCause()) {
            lines.add((t == error ? "" : "Caused by: ") + t);
            for (StackTraceElement frame : t.getStackTrace()) {
                if (lines.size() >= MAX_TRACE_LINES) {
                    break;
                }
                lines.add("at " + frame);
            }
        }
        return lines;
    }

    /**
     * The invocation's X-Ray trace id ({@code 1-5759e988-bd862e3fe1be46a994272793}), from the trace header the
     * runtime sets per invocation; null outside Lambda.
     */
    static String traceId() {
        // The Java runtime sets this property per invocation (a JVM's environment cannot change after start, so
        // _X_AMZN_TRACE_ID would only name the first invocation's trace).
        String header = System.getProperty(TRACE_PROPERTY);
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring("Root=".length());
            }
        }
        return null;
    }

    final class Line {
        /** Sized for a full line (some 25 members with the metrics), so it never grows on the way. */
        private final Map<String, Object> fields = new LinkedHashMap<>(64);
        private final String count;
        private final DataApiCalls calls = DataApiCalls.start();

        private Line(String requestId, String function, String message) {
            fields.put("level", "INFO");
            fields.put("message", message);
            fields.put("requestId", requestId);
            fields.put("function", function);
            fields.put("traceId", traceId());
            count = switch (message) {
                case "decision" -> "Decisions";
                case "workflow step" -> "WorkflowSteps";
                default -> "Requests";
            };
        }

        Line put(String name, Object value) {
            if (value != null) {
                fields.put(name, value);
            }
            return this;
        }

        /**
         * An answer that refuses the request (a conflict, bad input...): expected, so no stack trace. The outcome
         * names the kind ({@link EmbeddedMetrics#outcome}), the error the class.
         */
        Line refused(RuntimeException refusal) {
            return put("outcome", EmbeddedMetrics.outcome(refusal)).put("error", refusal.getClass().getSimpleName());
        }

        /** An unexpected failure: logged with its causes and frames, which never reach the caller. */
        Line failure(Throwable error) {
            fields.put("level", "ERROR");
            fields.put("error", error.getClass().getName());
            fields.put("stackTrace", trace(error));
            return this;
        }

        /**
         * What a direct invocation throws for {@code error}, logged: a refusal as itself (its class name is the
         * error contract), anything else as {@link DecisionFailedException} with the request id, the cause logged.
         */
        RuntimeException thrownForDirectCaller(RuntimeException error, String requestId) {
            if (error instanceof ApprovalException refusal) {
                refused(refusal);
                return refusal;
            }
            failure(error);
            return new DecisionFailedException(requestId);
        }

        void write(long startedNanos) {
            try {
                fields.put("latencyMs", (System.nanoTime() - startedNanos) / 1_000_000.0);
                if (!(fields.get("outcome") instanceof String)) {
                    fields.put("outcome", "ERROR".equals(fields.get("level")) ? "error" : "ok");
                }
                long now = System.currentTimeMillis();
                if (settings.json()) {
                    fields.put("timestamp", Instant.ofEpochMilli(now).toString());
                }
                EmbeddedMetrics.addTo(fields, count, calls, now);
                out.println(Json.write(settings.enabled((String) fields.get("level")) ? fields : metricsOnly()));
            } finally {
                DataApiCalls.finish();
            }
        }

        /** The line's metrics and what identifies them, for a line whose level is not written. */
        private Map<String, Object> metricsOnly() {
            Map<String, Object> metrics = new LinkedHashMap<>(fields);
            metrics.keySet().retainAll(EmbeddedMetrics.MEMBERS);
            return metrics;
        }
    }
}
