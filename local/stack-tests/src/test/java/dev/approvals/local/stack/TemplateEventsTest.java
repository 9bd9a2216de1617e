package dev.approvals.local.stack;

import dev.approvals.local.events.EventRule;
import dev.approvals.local.events.Schedule;
import dev.approvals.local.events.Target;
import dev.approvals.local.template.IntrinsicResolver;
import dev.approvals.local.template.ResourceValues;
import dev.approvals.local.template.SamTemplate;
import dev.approvals.local.template.TemplateException;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The template's buses, rules and schedules as the EventBridge stand-in reads them. */
class TemplateEventsTest {

    static final String REGION = "us-east-1";
    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:RecorderFunction";

    static SamTemplate fixture() {
        try {
            return SamTemplate.read(Path.of(TemplateEventsTest.class.getResource("/events/events-template.yaml").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the local stack resolves templates: function ARNs, plus the values events need. */
    static IntrinsicResolver resolver(SamTemplate template) {
        ResourceValues.Builder values = ResourceValues.builder().attributeOfType("AWS::Serverless::Function", "Arn",
                id -> TemplateEvents.functionArn(id, REGION, LocalStack.ACCOUNT_ID));
        TemplateEvents.addLocalValues(values, template, REGION, LocalStack.ACCOUNT_ID);
        return IntrinsicResolver.forTemplate(template).pseudoParameter("AWS::Region", REGION)
                .pseudoParameter("AWS::AccountId", LocalStack.ACCOUNT_ID).resources(values.build()).build();
    }

    static TemplateEvents.Routing read(SamTemplate template) {
        return TemplateEvents.read(template, resolver(template), REGION, LocalStack.ACCOUNT_ID);
    }

    @Test
    void readsTheBusTheRulesAndTheirTargets_withIntrinsicsResolved() {
        TemplateEvents.Routing routing = read(fixture());

        assertThat(routing.buses()).containsExactly("test-approvals-events");
        assertThat(routing.rules()).extracting(EventRule::name).containsExactly(
                "DecidedRule", "RequestedRule", "DisabledRule", "RecorderFunctionExpired");
        EventRule decided = routing.rules().getFirst();
        assertThat(decided.busName()).isEqualTo("test-approvals-events");
        assertThat(decided.enabled()).isTrue();
        assertThat(decided.pattern().json().toString()).isEqualTo("{\"source\":[\"dev.approvals\"],"
                + "\"detail-type\":[\"ApprovalDecided\"],\"detail\":{\"status\":[\"approved\"]}}");
        assertThat(decided.targets()).singleElement().satisfies(t -> {
            assertThat(t.arn()).isEqualTo(FUNCTION_ARN + ":live");
            assertThat(t.functionName()).contains("RecorderFunction");
            assertThat(t.qualifier()).contains("live");
        });
        assertThat(routing.rules().get(1).targets().getFirst().kind()).isEqualTo(Target.Kind.SNS);
        assertThat(routing.rules().get(1).targets().getFirst().arn())
                .isEqualTo("arn:aws:sns:us-east-1:123456789012:ApproversTopic");
        assertThat(routing.rules().get(2).enabled()).isFalse();
        EventRule samRule = routing.rules().get(3);
        assertThat(samRule.busName()).isEqualTo("test-approvals-events");
        assertThat(samRule.targets().getFirst().arn()).isEqualTo(FUNCTION_ARN + ":live"); // SAM targets the alias
    }

    @Test
    void readsSchedules_ofTheSchedulerOfSamAndOfRules() {
        TemplateEvents.Routing routing = read(fixture());

        assertThat(routing.schedules()).extracting(Schedule::name)
                .containsExactly("HourlyReport", "NightlyCleanup", "RecorderFunctionSweep");
        Schedule hourly = routing.schedules().getFirst();
        assertThat(hourly.scheduler()).isTrue();
        assertThat(hourly.period()).contains(Duration.ofHours(1));
        assertThat(hourly.targets().getFirst().input()).contains("{\"report\": \"hourly\"}");
        Schedule nightly = routing.schedules().get(1);
        assertThat(nightly.scheduler()).isFalse();
        assertThat(nightly.period()).isEmpty(); // cron: listed, not run
        Schedule sweep = routing.schedules().get(2);
        assertThat(sweep.period()).contains(Duration.ofMinutes(1));
        assertThat(sweep.targets().getFirst().input()).contains("{\"sweep\": true}");
    }

    @Test
    void theFunctionsBusVariables_resolveToTheBusTheRulesListenOn() {
        SamTemplate template = fixture();

        Map<String, String> environment = resolver(template).environment(template.function("RecorderFunction"));

        assertThat(environment).containsEntry("EVENT_BUS_NAME", "test-approvals-events")
                .containsEntry("EVENT_BUS_ARN", "arn:aws:events:us-east-1:123456789012:event-bus/test-approvals-events");
    }

    @Test
    void aTemplateWithoutEvents_readsAsEmpty() {
        SamTemplate template = SamTemplate.of(Map.of("Resources", Map.of("Table", Map.of("Type", "AWS::S3::Bucket"))));

        TemplateEvents.Routing routing = read(template);

        assertThat(routing.buses()).isEmpty();
        assertThat(routing.rules()).isEmpty();
        assertThat(routing.schedules()).isEmpty();
    }

    @Test
    void aBrokenRule_failsTheStart_namingTheRule() {
        Map<String, Object> template = fixture().mutableCopy();
        Map<String, Object> rule = propertiesOf(template, "RequestedRule");
        rule.put("EventPattern", Map.of("source", List.of(Map.of("cidr", "10.0.0.0/8"))));
        Map<String, Object> schedule = propertiesOf(template, "HourlyReport");
        schedule.put("ScheduleExpression", "rate(often)");

        assertThatThrownBy(() -> read(SamTemplate.of(template))).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("RequestedRule: Invalid event pattern");
        rule.put("EventPattern", Map.of("detail-type", List.of("x")));
        assertThatThrownBy(() -> read(SamTemplate.of(template))).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("HourlyReport: Invalid schedule expression rate(often)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> propertiesOf(Map<String, Object> template, String id) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(id))
                .get("Properties");
    }
}
