package dev.approvals.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators get from template.yaml (docs/operations.md): X-Ray tracing, Lambda-managed JSON logs at the level
 * the metrics need, the alarms (each notifying the optional SNS topic) on the metrics the functions emit, and the
 * dashboard.
 */
class ObservabilityTemplateTest {

    /** Every function that serves requests or workflow steps (the migration runs once per deployment). */
    private static final List<String> SERVING = List.of("ApproveFunction", "RejectFunction", "ReadFunction",
            "ProposeFunction", "WorkflowFunction", "InboxFunction");
    /** Every function that reaches the database per request (and so may wait for it to resume). */
    private static final List<String> DATABASE = List.of("ApproveFunction", "RejectFunction", "ReadFunction",
            "ProposeFunction", "WorkflowFunction");
    private static final Map<String, Object> NOTIFY = Map.of("Fn::If", List.of("NotifiesAlarmTopic",
            List.of(Map.of("Ref", "AlarmTopicArn")), Map.of("Ref", "AWS::NoValue")));

    private final SamTemplate template = SamTemplate.read(Repository.template());

    @Test
    void everyFunction_andTheWorkflow_areTracedByXRay() {
        for (SamFunction function : template.functions()) {
            assertThat(function.property("Tracing")).as(function.logicalId()).isEqualTo("Active");
        }
        Map<String, Object> flow = template.resource("ApprovalFlow").orElseThrow().properties();
        assertThat(flow.get("Tracing")).isEqualTo(Map.of("Enabled", true));
    }

    @Test
    void everyFunction_logsJsonThroughLambda_atInfo_toItsOwnLogGroup() {
        for (SamFunction function : template.functions()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> logging = (Map<String, Object>) function.property("LoggingConfig");
            assertThat(logging).as(function.logicalId())
                    .containsEntry("LogFormat", "JSON")
                    .containsEntry("ApplicationLogLevel", "INFO") // the metrics ride on INFO lines
                    .containsEntry("SystemLogLevel", "WARN");
            String group = (String) ((Map<?, ?>) logging.get("LogGroup")).get("Ref");
            assertThat(template.resource(group).orElseThrow().properties()).containsKey("RetentionInDays");
        }
    }

    @Test
    void theAlarms_coverWhatOperatorsWatch_andNotifyTheOptionalTopic() {
        Map<String, Resource> alarms = resourcesOfType("AWS::CloudWatch::Alarm");

        assertThat(alarms).containsOnlyKeys("Api5xxAlarm", "FunctionErrorsAlarm", "FunctionThrottlesAlarm",
                "DecisionConflictsAlarm", "DatabaseResumingAlarm", "WorkflowFailuresAlarm");
        for (Resource alarm : alarms.values()) {
            assertThat(alarm.properties()).as(alarm.logicalId())
                    .containsEntry("AlarmActions", NOTIFY).containsEntry("OKActions", NOTIFY)
                    .containsEntry("TreatMissingData", "notBreaching")
                    .containsKey("Threshold").containsKey("ComparisonOperator");
            assertThat((String) alarm.properties().get("AlarmDescription")).as(alarm.logicalId())
                    .contains("Runbook: docs/operations.md#");
        }
        assertThat(template.parameters().get("AlarmTopicArn").defaultValue()).contains("");
        assertThat(template.conditions()).containsKey("NotifiesAlarmTopic");
    }

    @Test
    void errorsAndThrottles_coverEveryServingFunction() {
        assertThat(functionsIn("FunctionErrorsAlarm", "AWS/Lambda", "Errors"))
                .containsExactlyInAnyOrderElementsOf(SERVING);
        assertThat(functionsIn("FunctionThrottlesAlarm", "AWS/Lambda", "Throttles"))
                .containsExactlyInAnyOrderElementsOf(SERVING);
    }

    @Test
    void conflictsAndResumingWaits_readTheMetricsTheFunctionsEmit() {
        // Namespace, metric names and the `function` dimension are what EmbeddedMetricsIT finds in real log lines.
        assertThat(functionsIn("DecisionConflictsAlarm", "Approvals", "Conflicts"))
                .containsExactlyInAnyOrder("ApproveFunction", "RejectFunction");
        assertThat(functionsIn("DatabaseResumingAlarm", "Approvals", "ResumingWaits"))
                .containsExactlyInAnyOrderElementsOf(DATABASE);
    }

    @Test
    void the5xxAndWorkflowAlarms_watchTheApiStage_andTheStateMachine() {
        Map<String, Object> api = template.resource("Api5xxAlarm").orElseThrow().properties();
        assertThat(api).containsEntry("Namespace", "AWS/ApiGateway").containsEntry("MetricName", "5xx");
        assertThat(api.get("Dimensions")).isEqualTo(List.of(
                Map.of("Name", "ApiId", "Value", Map.of("Ref", "ApprovalsApi")),
                Map.of("Name", "Stage", "Value", Map.of("Ref", "StageName"))));
        Map<String, Object> flow = template.resource("WorkflowFailuresAlarm").orElseThrow().properties();
        assertThat(flow).containsEntry("Namespace", "AWS/States").containsEntry("MetricName", "ExecutionsFailed");
        assertThat(flow.get("Dimensions")).isEqualTo(List.of(
                Map.of("Name", "StateMachineArn", "Value", Map.of("Ref", "ApprovalFlow"))));
    }

    @Test
    void theDashboard_isValidJson_andShowsDecisionsConflictsLatencyErrorsAndWorkflows() throws Exception {
        Resource dashboard = resourcesOfType("AWS::CloudWatch::Dashboard").get("OperationsDashboard");
        List<?> sub = (List<?>) ((Map<?, ?>) dashboard.properties().get("DashboardBody")).get("Fn::Sub");
        String body = (String) sub.get(0);
        Map<?, ?> variables = (Map<?, ?>) sub.get(1);

        Matcher placeholders = Pattern.compile("\\$\\{([A-Za-z:]+)}").matcher(body);
        List<String> names = new ArrayList<>();
        while (placeholders.find()) {
            names.add(placeholders.group(1));
        }
        Set<String> known = Set.of("AWS::Region", "ApprovalsApi", "StageName", "ApprovalFlow");
        assertThat(names).allMatch(name -> known.contains(name) || variables.containsKey(name));
        JsonNode parsed = new ObjectMapper().readTree(placeholders.replaceAll("x"));
        List<String> titles = new ArrayList<>();
        parsed.get("widgets").forEach(w -> titles.add(w.get("properties").get("title").asText()));
        assertThat(titles).containsExactly("Decisions by outcome", "Conflicts and resuming waits",
                "Data API latency (ms, p50 and p99)", "API: requests, 4xx, 5xx", "Function errors and throttles",
                "ApprovalFlow executions and workflow callbacks");
        assertThat(List.<Object>copyOf(variables.values())).containsExactlyInAnyOrder(Map.of("Ref", "ApproveFunction"),
                Map.of("Ref", "RejectFunction"), Map.of("Ref", "ReadFunction"), Map.of("Ref", "ProposeFunction"),
                Map.of("Ref", "WorkflowFunction"));
    }

    private Map<String, Resource> resourcesOfType(String type) {
        Map<String, Resource> found = new java.util.LinkedHashMap<>();
        template.resources().forEach((id, resource) -> {
            if (resource.type().equals(type)) {
                found.put(id, resource);
            }
        });
        return found;
    }

    /** The functions whose {@code metric} the metric-math alarm sums, by the logical id their dimension names. */
    private List<String> functionsIn(String alarmId, String namespace, String metric) {
        List<String> functions = new ArrayList<>();
        for (Object query : (List<?>) template.resource(alarmId).orElseThrow().properties().get("Metrics")) {
            Map<?, ?> stat = (Map<?, ?>) ((Map<?, ?>) query).get("MetricStat");
            if (stat == null) {
                continue;
            }
            Map<?, ?> m = (Map<?, ?>) stat.get("Metric");
            assertThat(m.get("Namespace")).isEqualTo(namespace);
            assertThat(m.get("MetricName")).isEqualTo(metric);
            Map<?, ?> dimension = (Map<?, ?>) ((List<?>) m.get("Dimensions")).getFirst();
            functions.add((String) ((Map<?, ?>) dimension.get("Value")).get("Ref"));
        }
        return functions;
    }
}
