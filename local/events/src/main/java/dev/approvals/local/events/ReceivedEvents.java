package dev.approvals.local.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.List;

/** The last {@code capacity} events received, oldest first: memory stays bounded however long the stack runs. */
final class ReceivedEvents {

    private final int capacity;
    private final ArrayDeque<ReceivedEvent> events = new ArrayDeque<>();
    private long dropped;

    ReceivedEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    synchronized void add(ReceivedEvent event) {
        if (events.size() == capacity) {
            events.removeFirst();
            dropped++;
        }
        events.addLast(event);
    }

    synchronized List<ReceivedEvent> all() {
        return List.copyOf(events);
    }

    synchronized void clear() {
        events.clear();
        dropped = 0;
    }

    /** {@code {"events": [...], "capacity": n, "dropped": n}}, newest last. */
    ObjectNode toJson(ObjectMapper json) {
        List<ReceivedEvent> snapshot;
        long droppedSoFar;
        synchronized (this) {
            snapshot = List.copyOf(events);
            droppedSoFar = dropped;
        }
        ObjectNode node = json.createObjectNode();
        ArrayNode list = node.putArray("events");
        snapshot.forEach(event -> list.add(event.toJson(json)));
        node.put("capacity", capacity).put("dropped", droppedSoFar);
        return node;
    }
}
