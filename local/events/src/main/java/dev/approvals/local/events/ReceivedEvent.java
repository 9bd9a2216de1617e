package dev.approvals.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * One event the stand-in received ({@code PutEvents}) or produced (a schedule firing), with the rules it matched
 * and what became of it at each of their targets.
 *
 * @param origin     {@code PutEvents} or {@code schedule}
 * @param envelope   the event as EventBridge delivers it (version, id, detail-type, source, account, time,
 *                   region, resources, detail); for a Scheduler schedule, the payload its targets got
 * @param deliveries one per target of every matched rule, in rule order
 */
public record ReceivedEvent(Instant receivedAt, String origin, String busName, JsonNode envelope,
                            List<Delivery> deliveries) {

    public ReceivedEvent {
        deliveries = List.copyOf(deliveries);
    }

    /** The names of the rules (or the schedule) that matched, in order, without repeats. */
    public List<String> matchedRules() {
        return deliveries.stream().map(Delivery::rule).distinct().toList();
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("receivedAt", receivedAt.toString()).put("origin", origin);
        if (busName != null) {
            node.put("eventBusName", busName);
        }
        node.set("event", envelope);
        ArrayNode rules = node.putArray("matchedRules");
        matchedRules().forEach(rules::add);
        ArrayNode targets = node.putArray("deliveries");
        deliveries.forEach(d -> d.toJson(targets.addObject()));
        return node;
    }
}
