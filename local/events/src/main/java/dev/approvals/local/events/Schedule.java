package dev.approvals.local.events;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that runs targets on a period: an EventBridge Scheduler schedule ({@code AWS::Scheduler::Schedule},
 * SAM {@code ScheduleV2}) or a scheduled EventBridge rule (SAM {@code Schedule}, a rule with a
 * {@code ScheduleExpression}).
 *
 * @param expression e.g. {@code rate(1 minute)}
 * @param period     the period of a {@code rate(...)} expression; empty for what the stand-in does not run
 *                   ({@code cron(...)}, {@code at(...)}), listed but never fired
 * @param scheduler  true for EventBridge Scheduler (the target gets its {@code Input}, else {@code {}}); false
 *                   for a scheduled rule (the target gets a {@code Scheduled Event} envelope, or its Input)
 */
public record Schedule(String name, String expression, Optional<Duration> period, boolean scheduler,
                       List<Target> targets, boolean enabled) {

    public Schedule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(period, "period");
        targets = List.copyOf(targets);
    }

    /**
     * The period of {@code rate(N minute[s]|hour[s]|day[s])}; empty for {@code cron(...)} and {@code at(...)}.
     *
     * @throws IllegalArgumentException for a malformed rate expression
     */
    public static Optional<Duration> periodOf(String expression) {
        String trimmed = expression.trim();
        if (!trimmed.startsWith("rate(")) {
            return Optional.empty();
        }
        var m = java.util.regex.Pattern.compile("^rate\\((\\d+)\\s+(minute|minutes|hour|hours|day|days)\\)$")
                .matcher(trimmed);
        if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
            throw new IllegalArgumentException("Invalid schedule expression " + expression
                    + ": expected rate(<n> minute[s]|hour[s]|day[s])");
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(n);
            case "hour", "hours" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }
}
