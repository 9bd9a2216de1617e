package dev.approvals.functions;

import dev.approvals.json.Json;
import dev.approvals.testing.Events;

import java.util.Map;
import java.util.UUID;

/** The project's events/*.json, retargeted at a seeded approval (and otherwise edited) for one test. */
final class EventBuilder {

    private final Map<String, Object> event;

    private EventBuilder(String file) {
        this.event = Events.load(file);
    }

    static EventBuilder from(String file) {
        return new EventBuilder(file);
    }

    /** Points an HTTP event (path, route) or a direct payload at this approval. */
    EventBuilder approval(UUID id) {
        if (event.containsKey("pathParameters")) {
            Events.at(event, "pathParameters").put("id", id.toString());
        } else {
            event.put("approvalId", id.toString());
        }
        return this;
    }

    EventBuilder body(String body) {
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return this;
    }

    EventBuilder header(String name, String value) {
        Map<String, Object> headers = Events.at(event, "headers");
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    EventBuilder set(String name, Object value) {
        if (value == null) {
            event.remove(name);
        } else {
            event.put(name, value);
        }
        return this;
    }

    Map<String, Object> map() {
        return event;
    }

    byte[] bytes() {
        return Json.writeBytes(event);
    }
}
