package dev.approvals.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.lambda.LogSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code run --metrics}: under each function line that carries CloudWatch Embedded Metric Format, one readable line
 * of the metrics CloudWatch would extract from it, e.g.
 * {@code [ApproveFunction#1] metrics Approvals: Decisions 1 (outcome=won) | DataApiLatency 4.21 ms | Conflicts 0}.
 */
final class MetricsPrinter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsPrinter() {
    }

    /** {@code sink}, adding the metrics line after every line that has one. */
    static LogSink around(LogSink sink) {
        return line -> {
            sink.line(line);
            summary(line).ifPresent(sink::line);
        };
    }

    /** The metrics of one output line ({@code [prefix] {json}}), if it is an EMF document. */
    static Optional<String> summary(String line) {
        int start = line.indexOf('{');
        if (start < 0 || !line.contains("\"_aws\"")) {
            return Optional.empty();
        }
        JsonNode document;
        try {
            document = JSON.readTree(line.substring(start));
        } catch (Exception notJson) {
            return Optional.empty();
        }
        JsonNode directives = document.path("_aws").path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        String namespace = directives.get(0).path("Namespace").asText();
        for (JsonNode directive : directives) {
            List<String> dimensions = new ArrayList<>();
            directive.path("Dimensions").forEach(set -> set.forEach(name -> {
                String key = name.asText();
                if (!key.equals("function")) { // the line's prefix already names the function
                    dimensions.add(key + "=" + document.path(key).asText());
                }
            }));
            for (JsonNode metric : directive.path("Metrics")) {
                String name = metric.path("Name").asText();
                String unit = metric.path("Unit").asText("None");
                parts.add(name + " " + value(document.path(name)) + unitSuffix(unit)
                        + (dimensions.isEmpty() ? "" : " (" + String.join(", ", dimensions) + ")"));
            }
        }
        return Optional.of(line.substring(0, start) + "metrics " + namespace + ": " + String.join(" | ", parts));
    }

    private static String value(JsonNode value) {
        if (value.isArray()) {
            List<String> values = new ArrayList<>();
            value.forEach(v -> values.add(number(v)));
            return String.join(", ", values);
        }
        return number(value);
    }

    private static String number(JsonNode value) {
        return value.isIntegralNumber() ? value.asText() : String.format(Locale.ROOT, "%.2f", value.asDouble());
    }

    private static String unitSuffix(String unit) {
        return switch (unit) {
            case "Milliseconds" -> " ms";
            case "Count", "None" -> "";
            default -> " " + unit;
        };
    }
}
