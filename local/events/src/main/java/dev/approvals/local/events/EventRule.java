package dev.approvals.local.events;

import java.util.List;
import java.util.Objects;

/**
 * An EventBridge rule on a bus: events matching its pattern go to each of its targets.
 *
 * @param name    the rule's name (locally: its logical id, or {@code Function.EventName} for a SAM event)
 * @param busName the bus's name ({@code default} when the template names none)
 * @param enabled false for {@code State: DISABLED}: listed, never matched
 */
public record EventRule(String name, String busName, EventPattern pattern, List<Target> targets, boolean enabled) {

    public EventRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(busName, "busName");
        Objects.requireNonNull(pattern, "pattern");
        targets = List.copyOf(targets);
    }
}
