package dev.approvals.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fires schedules on their period, divided by the speed-up (tests and demos: a speed-up of 60 runs a
 * {@code rate(1 minute)} schedule every second). The first firing comes one period after {@link #start()}, as
 * for a schedule just created. A scheduled rule's targets get the {@code Scheduled Event} envelope; a Scheduler
 * schedule's target gets its {@code Input}, else {@code {}}.
 */
final class ScheduleRunner {

    private final List<Schedule> schedules;
    private final double speedup;
    private final Deliveries deliveries;
    private final ReceivedEvents received;
    private final ScheduledExecutorService timers;
    private final ObjectMapper json;
    private final Clock clock;
    private final String region;
    private final String accountId;
    private final Consumer<String> log;

    ScheduleRunner(List<Schedule> schedules, double speedup, Deliveries deliveries, ReceivedEvents received,
                   ScheduledExecutorService timers, ObjectMapper json, Clock clock, String region, String accountId,
                   Consumer<String> log) {
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("The schedule speed-up must be positive");
        }
        this.schedules = List.copyOf(schedules);
        this.speedup = speedup;
        this.deliveries = deliveries;
        this.received = received;
        this.timers = timers;
        this.json = json;
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
        this.log = log;
    }

    void start() {
        for (Schedule schedule : schedules) {
            if (!schedule.enabled() || schedule.period().isEmpty()) {
                log.accept("schedule " + schedule.name() + " (" + schedule.expression() + "): "
                        + (schedule.enabled() ? "not run locally (rate(...) only)" : "disabled"));
                continue;
            }
            long every = Math.max(1, Math.round(schedule.period().get().toMillis() / speedup));
            timers.scheduleAtFixedRate(() -> fireQuietly(schedule), every, every, TimeUnit.MILLISECONDS);
            log.accept("schedule " + schedule.name() + " (" + schedule.expression() + "): every "
                    + Duration.ofMillis(every) + " -> " + schedule.targets().stream().map(Target::arn).toList());
        }
    }

    private void fireQuietly(Schedule schedule) {
        try {
            fire(schedule);
        } catch (RuntimeException e) { // a failing firing must not cancel the next ones
            log.accept("schedule " + schedule.name() + " failed to fire: " + e);
        }
    }

    /** Runs the schedule's targets once, now. */
    ReceivedEvent fire(Schedule schedule) {
        Instant now = clock.instant();
        JsonNode event = schedule.scheduler() ? schedulerPayload(schedule) : scheduledEvent(schedule, now);
        List<Delivery> started = new ArrayList<>();
        for (Target target : schedule.targets()) {
            started.add(deliveries.deliver(schedule.name(), target, event));
        }
        ReceivedEvent firing = new ReceivedEvent(now, "schedule", null, event, started);
        received.add(firing);
        return firing;
    }

    private JsonNode schedulerPayload(Schedule schedule) {
        // a Scheduler schedule has one target; its Input (if any) is what the target receives
        String input = schedule.targets().isEmpty() ? "{}" : schedule.targets().getFirst().input().orElse("{}");
        try {
            return json.readTree(input);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(input);
        }
    }

    private ObjectNode scheduledEvent(Schedule schedule, Instant now) {
        ObjectNode event = json.createObjectNode();
        event.put("version", "0").put("id", UUID.randomUUID().toString()).put("detail-type", "Scheduled Event")
                .put("source", "aws.events").put("account", accountId)
                .put("time", now.truncatedTo(ChronoUnit.SECONDS).toString()).put("region", region);
        event.putArray("resources").add("arn:aws:events:" + region + ":" + accountId + ":rule/" + schedule.name());
        event.putObject("detail");
        return event;
    }
}
