package dev.approvals.invocation;

import dev.approvals.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * An invocation's payload, read once: a JSON object, other JSON ({@code object} null), or not JSON at all
 * ({@code malformed} says why, in words fit for the caller).
 */
record Event(Map<String, Object> object, String malformed) {

    @SuppressWarnings("unchecked")
    static Event parse(byte[] bytes) {
        try {
            Object parsed = Json.parse(bytes);
            return new Event(parsed instanceof Map<?, ?> ? (Map<String, Object>) parsed : null, null);
        } catch (Json.MalformedJsonException e) {
            return new Event(null, e.getMessage());
        }
    }

    /**
     * The first {@code limit} bytes of {@code input} (all of it when shorter), as {@code input.readNBytes(limit)}
     * returns them. The runtime hands the event over as an in-memory stream that knows its length, so the bytes
     * are read into an array of that size: {@code readNBytes} alone allocates a 16 KiB buffer and copies a
     * 2 KiB event out of it (a fifth of a decision's allocation).
     */
    static byte[] read(InputStream input, int limit) throws IOException {
        byte[] known = input.readNBytes(Math.min(Math.max(input.available(), 0), limit));
        if (known.length == limit) {
            return known;
        }
        int next = input.read();
        if (next < 0) {
            return known;
        }
        byte[] rest = input.readNBytes(limit - known.length - 1);
        byte[] all = new byte[known.length + 1 + rest.length];
        System.arraycopy(known, 0, all, 0, known.length);
        all[known.length] = (byte) next;
        System.arraycopy(rest, 0, all, known.length + 1, rest.length);
        return all;
    }
}
