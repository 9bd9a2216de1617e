package dev.approvals.local.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code run --metrics} prints under a function's log line. */
class MetricsPrinterTest {

    /** A decision's line as the approve function writes it (EmbeddedMetricsIT checks those against the EMF schema). */
    private static final String DECISION = "[ApproveFunction#1] {\"level\":\"INFO\",\"message\":\"decision\","
            + "\"function\":\"ApproveFunction\",\"outcome\":\"won\",\"Decisions\":1,\"DataApiLatency\":[4.213],"
            + "\"ResumingWaits\":0,\"Conflicts\":0,\"_aws\":{\"Timestamp\":1796190921450,\"CloudWatchMetrics\":["
            + "{\"Namespace\":\"Approvals\",\"Dimensions\":[[\"function\",\"outcome\"]],\"Metrics\":[{\"Name\":\"Decisions\",\"Unit\":\"Count\"}]},"
            + "{\"Namespace\":\"Approvals\",\"Dimensions\":[[\"function\"]],\"Metrics\":[{\"Name\":\"DataApiLatency\",\"Unit\":\"Milliseconds\"},"
            + "{\"Name\":\"ResumingWaits\",\"Unit\":\"Count\"},{\"Name\":\"Conflicts\",\"Unit\":\"Count\"}]}]}}";

    @Test
    void aLineWithMetrics_isFollowedByThemInWords() {
        List<String> printed = new ArrayList<>();

        MetricsPrinter.around(printed::add).line(DECISION);

        assertThat(printed).containsExactly(DECISION, "[ApproveFunction#1] metrics Approvals: Decisions 1"
                + " (outcome=won) | DataApiLatency 4.21 ms | ResumingWaits 0 | Conflicts 0");
    }

    @Test
    void otherLines_passAlone() {
        List<String> printed = new ArrayList<>();

        MetricsPrinter.around(printed::add).line("[ApproveFunction#1] START RequestId: 1 Version: $LATEST");
        MetricsPrinter.around(printed::add).line("[stack] ready {not json \"_aws\"");

        assertThat(printed).containsExactly("[ApproveFunction#1] START RequestId: 1 Version: $LATEST",
                "[stack] ready {not json \"_aws\"");
    }
}
