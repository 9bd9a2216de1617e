package dev.approvals.invocation;

import dev.approvals.store.DataApiCalls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invocation's metrics, in CloudWatch Embedded Metric Format inside its one log line: CloudWatch Logs turns them
 * into metrics with no API call and no extra line (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Dimensions stay low-cardinality: the function's name, the outcome (a closed vocabulary, {@link #outcome}), the
 * callback's outcome; never ids, actors or request ids (those stay plain log fields, searchable in Logs Insights).
 */
final class EmbeddedMetrics {

    /** The CloudWatch namespace of every metric the functions emit (the alarms and the dashboard name it). */
    static final String NAMESPACE = "Approvals";

    /** What a metrics-only line keeps: the directive, the metrics, their dimensions, and what correlates them. */
    static final Set<String> MEMBERS = Set.of("_aws", "function", "outcome", "callback", "Decisions", "Requests",
            "WorkflowSteps", "DataApiLatency", "ResumingWaits", "Conflicts", "Callbacks", "requestId", "traceId",
            "timestamp");

    /** Directives by what they depend on; a handler may serve several threads (tests), hence concurrent. */
    private static final Map<Integer, List<Object>> DIRECTIVES = new ConcurrentHashMap<>();

    private EmbeddedMetrics() {
    }

    /**
     * Adds the metrics and their {@code _aws} directive to {@code fields}, whose {@code function} and
     * {@code outcome} members become the dimensions.
     *
     * @param count the metric counting invocations of this kind: Decisions, Requests or WorkflowSteps
     */
    static void addTo(Map<String, Object> fields, String count, DataApiCalls calls, long timestampMillis) {
        fields.put(count, 1);
        boolean latency = !calls.latenciesMs().isEmpty();
        if (latency) {
            fields.put("DataApiLatency", calls.latenciesMs());
        }
        fields.put("ResumingWaits", calls.resumingWaits());
        if (count.equals("Decisions")) {
            fields.put("Conflicts", isConflict((String) fields.get("outcome")) ? 1 : 0);
        }
        boolean callback = fields.get("callback") instanceof String;
        if (callback) {
            fields.put("Callbacks", 1);
        }
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", timestampMillis);
        aws.put("CloudWatchMetrics", directives(count, latency, callback));
        fields.put("_aws", aws);
    }

    /**
     * The {@code CloudWatchMetrics} directives of a line, which depend only on what it counts, whether it has
     * statement latencies and whether it called a workflow back: built once per combination (twelve at most) and
     * shared rather than rebuilt as a dozen maps and lists on every invocation. Never modified once built; they
     * stay the plain lists and maps a line is made of, so that writing them keeps to the classes it already sees.
     */
    private static List<Object> directives(String count, boolean latency, boolean callback) {
        int kind = switch (count) {
            case "Decisions" -> 0;
            case "Requests" -> 1;
            case "WorkflowSteps" -> 2;
            default -> throw new IllegalArgumentException("Not a count metric: " + count);
        };
        Integer key = kind * 4 + (latency ? 2 : 0) + (callback ? 1 : 0);
        List<Object> directives = DIRECTIVES.get(key);
        if (directives == null) {
            directives = buildDirectives(count, latency, callback);
            DIRECTIVES.putIfAbsent(key, directives);
        }
        return directives;
    }

    private static List<Object> buildDirectives(String count, boolean latency, boolean callback) {
        List<Object> directives = new ArrayList<>(3);
        directives.add(directive(List.of("function", "outcome"), metric(count, "Count")));
        List<Object> perFunction = new ArrayList<>(3);
        if (latency) {
            perFunction.add(metric("DataApiLatency", "Milliseconds"));
        }
        perFunction.add(metric("ResumingWaits", "Count"));
        if (count.equals("Decisions")) {
            perFunction.add(metric("Conflicts", "Count"));
        }
        directives.add(directive(List.of("function"), perFunction.toArray()));
        if (callback) {
            directives.add(directive(List.of("function", "callback"), metric("Callbacks", "Count")));
        }
        return directives;
    }

    /**
     * The outcome dimension of a refusal, from the refusal's class: {@code already-decided}, {@code stale-version}
     * and {@code key-reused} are the conflict kinds; {@code refused-input} covers every 4xx about the request itself
     * (bad input, missing authentication or group, wrong method or media type, missing precondition).
     * By simple name, so that no exception class is loaded to classify one that did not happen.
     */
    static String outcome(RuntimeException refusal) {
        return switch (refusal.getClass().getSimpleName()) {
            case "ApprovalAlreadyDecidedException" -> "already-decided";
            case "ApprovalVersionConflictException" -> "stale-version";
            case "IdempotencyKeyReusedException", "ProposalKeyReusedException" -> "key-reused";
            case "ApprovalNotFoundException" -> "not-found";
            case "ApprovalExpiredException" -> "expired";
            case "DecisionUnavailableException" -> "unavailable";
            case "InvalidDecisionRequestException", "InvalidWorkflowInputException", "HttpRequestRejectedException" ->
                    "refused-input";
            case "ApprovalNotConfirmedException" -> "not-confirmed";
            default -> "refused";
        };
    }

    static boolean isConflict(String outcome) {
        return "already-decided".equals(outcome) || "stale-version".equals(outcome) || "key-reused".equals(outcome);
    }

    private static Map<String, Object> directive(List<String> dimensions, Object... metrics) {
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", List.of(dimensions));
        directive.put("Metrics", List.of(metrics));
        return directive;
    }

    private static Map<String, Object> metric(String name, String unit) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("Name", name);
        metric.put("Unit", unit);
        return metric;
    }
}
