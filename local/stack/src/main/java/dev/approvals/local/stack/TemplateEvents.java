package dev.approvals.local.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.events.EventPattern;
import dev.approvals.local.events.EventRule;
import dev.approvals.local.events.Schedule;
import dev.approvals.local.events.Target;
import dev.approvals.local.template.IntrinsicResolver;
import dev.approvals.local.template.Resource;
import dev.approvals.local.template.ResourceValues;
import dev.approvals.local.template.SamFunction;
import dev.approvals.local.template.SamTemplate;
import dev.approvals.local.template.TemplateException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The template's EventBridge side, as the local stand-in runs it: the buses ({@code AWS::Events::EventBus}), the
 * rules ({@code AWS::Events::Rule}, and SAM {@code EventBridgeRule} events of functions) with their patterns and
 * targets, and the schedules ({@code AWS::Scheduler::Schedule}, SAM {@code ScheduleV2} and {@code Schedule}
 * events, and rules with a {@code ScheduleExpression}). A template with none of them reads as empty.
 *
 * <p>Locally a bus is named by its literal {@code Name}, else by its logical id; {@code Ref} and
 * {@code Fn::GetAtt ... Name/Arn} of it resolve to that name ({@link #addLocalValues}), so a function's
 * {@code EVENT_BUS_NAME: !Ref Bus} and a rule's {@code EventBusName: !Ref Bus} agree. Only the fields the
 * stand-in needs are resolved (a target's {@code RoleArn} or {@code DeadLetterConfig} is not).
 */
public final class TemplateEvents {

    static final String EVENT_BUS = "AWS::Events::EventBus";
    static final String RULE = "AWS::Events::Rule";
    static final String SCHEDULE = "AWS::Scheduler::Schedule";
    static final String TOPIC = "AWS::SNS::Topic";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stand-in needs from the template. */
    public record Routing(Set<String> buses, List<EventRule> rules, List<Schedule> schedules) {
    }

    private final SamTemplate template;
    private final IntrinsicResolver resolver;
    private final String region;
    private final String accountId;
    private final Set<String> buses = new LinkedHashSet<>();
    private final List<EventRule> rules = new ArrayList<>();
    private final List<Schedule> schedules = new ArrayList<>();

    private TemplateEvents(SamTemplate template, IntrinsicResolver resolver, String region, String accountId) {
        this.template = template;
        this.resolver = resolver;
        this.region = region;
        this.accountId = accountId;
    }

    /** Reads the buses, rules and schedules; a broken one fails with a message naming it. */
    public static Routing read(SamTemplate template, IntrinsicResolver resolver, String region, String accountId) {
        TemplateEvents events = new TemplateEvents(template, resolver, region, accountId);
        template.resources().values().forEach(events::resource);
        template.functions().forEach(events::functionEvents);
        return new Routing(Set.copyOf(events.buses), List.copyOf(events.rules), List.copyOf(events.schedules));
    }

    /**
     * Local values of the resources rules and functions refer to: buses (by name), SNS topics (ARN), and the
     * {@code Function.Alias} of functions with an {@code AutoPublishAlias}.
     */
    public static void addLocalValues(ResourceValues.Builder values, SamTemplate template, String region,
                                      String accountId) {
        values.refOfType(EVENT_BUS, id -> busName(template, id))
                .attributeOfType(EVENT_BUS, "Name", id -> busName(template, id))
                .attributeOfType(EVENT_BUS, "Arn", id -> "arn:aws:events:" + region + ":" + accountId
                        + ":event-bus/" + busName(template, id))
                .refOfType(TOPIC, id -> topicArn(template, id, region, accountId))
                .attributeOfType(TOPIC, "TopicArn", id -> topicArn(template, id, region, accountId))
                .attributeOfType(TOPIC, "TopicName", id -> literalName(template, id, "TopicName"));
        for (SamFunction function : template.functions()) {
            function.autoPublishAlias().filter(String.class::isInstance).ifPresent(alias -> values.ref(
                    function.logicalId() + ".Alias", functionArn(function.logicalId(), region, accountId) + ":" + alias));
        }
    }

    private void resource(Resource resource) {
        try {
            switch (resource.type()) {
                case EVENT_BUS -> buses.add(busName(template, resource.logicalId()));
                case RULE -> rule(resource);
                case SCHEDULE -> schedulerSchedule(resource);
                default -> { }
            }
        } catch (RuntimeException e) {
            throw new TemplateException(resource.logicalId() + ": " + e.getMessage(), e);
        }
    }

    private void rule(Resource resource) {
        Map<String, Object> p = resource.properties();
        String name = text(p.get("Name")).orElse(resource.logicalId());
        boolean enabled = !"DISABLED".equals(text(p.get("State")).orElse("ENABLED"));
        List<Target> targets = new ArrayList<>();
        for (Object target : list(p.get("Targets"))) {
            Map<String, Object> t = map(target);
            targets.add(new Target(text(t.get("Id")).orElse("target"), text(t.get("Arn")).orElseThrow(() ->
                    new TemplateException("a target has no Arn")), json(t.get("Input")), text(t.get("InputPath"))));
        }
        Optional<String> schedule = text(p.get("ScheduleExpression"));
        if (schedule.isPresent()) {
            schedules.add(new Schedule(name, schedule.get(), Schedule.periodOf(schedule.get()), false, targets,
                    enabled));
        }
        if (p.get("EventPattern") != null) {
            rules.add(new EventRule(name, bus(p.get("EventBusName")), pattern(p.get("EventPattern")), targets,
                    enabled));
        }
    }

    private void schedulerSchedule(Resource resource) {
        Map<String, Object> p = resource.properties();
        String expression = text(p.get("ScheduleExpression")).orElseThrow(() ->
                new TemplateException("no ScheduleExpression"));
        Map<String, Object> target = map(p.get("Target"));
        Target local = new Target("target", text(target.get("Arn")).orElseThrow(() ->
                new TemplateException("the Target has no Arn")), json(target.get("Input")), Optional.empty());
        schedules.add(new Schedule(text(p.get("Name")).orElse(resource.logicalId()), expression,
                Schedule.periodOf(expression), true, List.of(local),
                !"DISABLED".equals(text(p.get("State")).orElse("ENABLED"))));
    }

    /** SAM's {@code EventBridgeRule}, {@code Schedule} and {@code ScheduleV2} events of a function. */
    private void functionEvents(SamFunction function) {
        String arn = functionArn(function.logicalId(), region, accountId) + function.autoPublishAlias()
                .filter(String.class::isInstance).map(alias -> ":" + alias).orElse("");
        function.events().forEach((eventName, value) -> {
            Map<String, Object> event = map(value);
            Map<String, Object> p = map(event.get("Properties"));
            String name = function.logicalId() + eventName;
            try {
                Target target = new Target(text(map(p.get("Target")).get("Id")).orElse(name + "Target"), arn,
                        json(p.get("Input")), text(p.get("InputPath")));
                boolean enabled = !"DISABLED".equals(text(p.get("State")).orElse("ENABLED"))
                        && (p.get("Enabled") == null || !Boolean.FALSE.equals(resolver.resolve(p.get("Enabled"))));
                switch (String.valueOf(event.get("Type"))) {
                    case "EventBridgeRule" -> rules.add(new EventRule(text(p.get("RuleName")).orElse(name),
                            bus(p.get("EventBusName")), pattern(p.get("Pattern")), List.of(target), enabled));
                    case "Schedule", "ScheduleV2" -> {
                        String key = event.get("Type").equals("Schedule") ? "Schedule" : "ScheduleExpression";
                        String expression = text(p.get(key)).orElseThrow(() -> new TemplateException("no " + key));
                        schedules.add(new Schedule(text(p.get("Name")).orElse(name), expression,
                                Schedule.periodOf(expression), event.get("Type").equals("ScheduleV2"),
                                List.of(target), enabled));
                    }
                    default -> { }
                }
            } catch (RuntimeException e) {
                throw new TemplateException(name + ": " + e.getMessage(), e);
            }
        });
    }

    private String bus(Object eventBusName) {
        String bus = text(eventBusName).orElse("default");
        int slash = bus.startsWith("arn:") ? bus.lastIndexOf("event-bus/") : -1;
        return slash >= 0 ? bus.substring(slash + "event-bus/".length()) : bus;
    }

    private EventPattern pattern(Object pattern) {
        Object resolved = resolver.resolve(pattern);
        if (resolved instanceof String text) {
            return EventPattern.parse(text);
        }
        return EventPattern.of(resolved);
    }

    /** An {@code Input}: resolved JSON text (checked), or empty. */
    private Optional<String> json(Object input) {
        Optional<String> text = text(input);
        text.ifPresent(json -> {
            try {
                JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new TemplateException("Input is not valid JSON");
            }
        });
        return text;
    }

    private Optional<String> text(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        Object resolved = resolver.resolve(value);
        return resolved == null ? Optional.empty() : Optional.of(String.valueOf(resolved)).filter(s -> !s.isBlank());
    }

    private static String busName(SamTemplate template, String logicalId) {
        return literalName(template, logicalId, "Name");
    }

    private static String topicArn(SamTemplate template, String logicalId, String region, String accountId) {
        return "arn:aws:sns:" + region + ":" + accountId + ":" + literalName(template, logicalId, "TopicName");
    }

    /** The resource's name property when it is plain text, else its logical id (locally unique all the same). */
    private static String literalName(SamTemplate template, String logicalId, String property) {
        return template.resource(logicalId).map(r -> r.properties().get(property))
                .filter(String.class::isInstance).map(String.class::cast).orElse(logicalId);
    }

    static String functionArn(String name, String region, String accountId) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
