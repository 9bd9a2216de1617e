package dev.approvals.testing;

import dev.approvals.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads the project's events/*.json (copied onto the test classpath) as mutable maps. */
public final class Events {

    private Events() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No event events/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(String name) {
        return (Map<String, Object>) deepCopy(Json.parse(bytes(name)));
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return copy;
        }
        return value;
    }

    /** Navigates to a nested object, for editing an event in a test. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> at(Map<String, Object> event, String... path) {
        Map<String, Object> current = event;
        for (String name : path) {
            current = (Map<String, Object>) current.get(name);
        }
        return current;
    }
}
