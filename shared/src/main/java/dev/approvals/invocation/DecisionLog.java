package dev.approvals.invocation;

import dev.approvals.errors.ApprovalException;
import dev.approvals.errors.DecisionFailedException;
import dev.approvals.json.Json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON line per invocation (a decision, a read, a proposal, a workflow step) on standard output (CloudWatch keeps
 * it as structured JSON). It names ids, versions and outcomes; never reasons, tokens, secrets or whole events.
 */
public final class DecisionLog {

    private static final int MAX_TRACE_LINES = 60;

    private final PrintStream out;

    public DecisionLog(PrintStream out) {
        this.out = out;
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

    final class Line {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Line(String requestId, String function, String message) {
            fields.put("level", "INFO");
            fields.put("message", message);
            fields.put("requestId", requestId);
            fields.put("function", function);
        }

        Line put(String name, Object value) {
            if (value != null) {
                fields.put(name, value);
            }
            return this;
        }

        /** An answer that refuses the request (a conflict, bad input...): expected, so no stack trace. */
        Line refused(RuntimeException refusal) {
            return put("outcome", "refused").put("error", refusal.getClass().getSimpleName());
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
            fields.put("latencyMs", (System.nanoTime() - startedNanos) / 1_000_000.0);
            out.println(Json.write(fields));
        }
    }
}
