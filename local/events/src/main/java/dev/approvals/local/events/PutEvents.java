package dev.approvals.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code PutEvents} operation: checks a request as EventBridge does and turns each valid entry into the event
 * envelope rules see. Request-level problems throw {@link ApiException} (nothing is accepted); entry-level ones
 * fail that entry only, with the service's {@code ErrorCode} and {@code ErrorMessage}.
 *
 * <p>Limits: 1 to 10 entries; at most 256 KB for the entries together, counted as EventBridge counts them (14
 * bytes for a {@code Time}, plus the UTF-8 bytes of Source, DetailType, Detail and each resource).
 */
final class PutEvents {

    static final int MAX_ENTRIES = 10;
    static final int MAX_BYTES = 256 * 1024;
    private static final int TIME_BYTES = 14;

    /** An accepted entry: the bus it goes to and its envelope. */
    record Accepted(String busName, ObjectNode envelope) {
    }

    /** The answer's body, and the events to route. */
    record Result(ObjectNode response, List<Accepted> accepted) {
    }

    private final ObjectMapper json;
    private final Set<String> buses;
    private final String region;
    private final String accountId;

    PutEvents(ObjectMapper json, Set<String> buses, String region, String accountId) {
        this.json = json;
        this.buses = Set.copyOf(buses);
        this.region = region;
        this.accountId = accountId;
    }

    Result handle(byte[] body, Instant now) {
        JsonNode request;
        try {
            request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (java.io.IOException e) {
            throw new ApiException("SerializationException", "The request body is not valid JSON.");
        }
        if (request == null || !request.isObject()) {
            throw new ApiException("SerializationException", "The request body must be a JSON object.");
        }
        JsonNode entries = request.get("Entries");
        checkEntries(entries);
        long size = 0;
        for (JsonNode entry : entries) {
            size += size(entry);
        }
        if (size > MAX_BYTES) {
            throw new ApiException("ValidationException", "Total size of the entries in the request is over the limit.");
        }
        ObjectNode response = json.createObjectNode();
        ArrayNode results = json.createArrayNode();
        List<Accepted> accepted = new ArrayList<>();
        int failed = 0;
        for (JsonNode entry : entries) {
            String error = entryError(entry);
            ObjectNode result = results.addObject();
            if (error != null) {
                failed++;
                result.put("ErrorCode", error.substring(0, error.indexOf('|')))
                        .put("ErrorMessage", error.substring(error.indexOf('|') + 1));
                continue;
            }
            ObjectNode envelope = envelope(entry, now);
            result.put("EventId", envelope.get("id").asText());
            accepted.add(new Accepted(busName(entry), envelope));
        }
        response.put("FailedEntryCount", failed);
        response.set("Entries", results);
        return new Result(response, accepted);
    }

    private static void checkEntries(JsonNode entries) {
        if (entries == null || entries.isNull()) {
            throw new ApiException("ValidationException",
                    "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
        }
        if (!entries.isArray()) {
            throw new ApiException("SerializationException", "Entries must be a list.");
        }
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new ApiException("ValidationException", "1 validation error detected: Value at 'entries' failed to "
                    + "satisfy constraint: Member must have length " + (entries.isEmpty()
                    ? "greater than or equal to 1" : "less than or equal to " + MAX_ENTRIES));
        }
        for (JsonNode entry : entries) {
            if (!entry.isObject()) {
                throw new ApiException("SerializationException", "Each entry must be a structure.");
            }
            for (String field : List.of("Source", "DetailType", "Detail", "EventBusName", "TraceHeader")) {
                JsonNode value = entry.get(field);
                if (value != null && !value.isNull() && !value.isTextual()) {
                    throw new ApiException("SerializationException", "Entry field " + field + " must be a string.");
                }
            }
            JsonNode resources = entry.get("Resources");
            if (resources != null && !resources.isNull()
                    && (!resources.isArray() || !allText(resources))) {
                throw new ApiException("SerializationException", "Entry field Resources must be a list of strings.");
            }
            time(entry, Instant.EPOCH); // a malformed Time fails the request
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static long size(JsonNode entry) {
        long size = entry.hasNonNull("Time") ? TIME_BYTES : 0;
        for (String field : List.of("Source", "DetailType", "Detail")) {
            size += bytes(entry.path(field).asText(""));
        }
        for (JsonNode resource : entry.path("Resources")) {
            size += bytes(resource.asText());
        }
        return size;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** {@code "ErrorCode|ErrorMessage"} for an entry EventBridge would fail, else null. */
    private String entryError(JsonNode entry) {
        for (String field : List.of("Source", "DetailType", "Detail")) {
            if (entry.path(field).asText("").isEmpty()) {
                return "InvalidArgument|Parameter " + field + " is not valid. Reason: " + field
                        + " is a required argument.";
            }
        }
        if (entry.get("Source").asText().startsWith("aws.")) {
            return "NotAuthorizedForSourceException|Not authorized for the source.";
        }
        try {
            JsonNode detail = json.readTree(entry.get("Detail").asText());
            if (detail == null || !detail.isObject()) {
                return "MalformedDetail|Detail is malformed.";
            }
        } catch (JsonProcessingException e) {
            return "MalformedDetail|Detail is malformed.";
        }
        String bus = busName(entry);
        if (!buses.contains(bus)) {
            return "InvalidArgument|Event bus " + bus + " does not exist.";
        }
        return null;
    }

    /** The bus an entry names (by name or ARN), {@code default} when it names none. */
    static String busName(JsonNode entry) {
        String bus = entry.path("EventBusName").asText("");
        if (bus.isEmpty()) {
            return "default";
        }
        int slash = bus.startsWith("arn:") ? bus.lastIndexOf("event-bus/") : -1;
        return slash >= 0 ? bus.substring(slash + "event-bus/".length()) : bus;
    }

    private ObjectNode envelope(JsonNode entry, Instant now) {
        ObjectNode envelope = json.createObjectNode();
        envelope.put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", entry.get("DetailType").asText())
                .put("source", entry.get("Source").asText())
                .put("account", accountId)
                .put("time", time(entry, now).truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", region);
        ArrayNode resources = envelope.putArray("resources");
        entry.path("Resources").forEach(resources::add);
        try {
            envelope.set("detail", json.readTree(entry.get("Detail").asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checked before", e);
        }
        return envelope;
    }

    /** {@code Time}: epoch seconds (what the SDK and CLI send over JSON 1.1) or RFC 3339 text. */
    private static Instant time(JsonNode entry, Instant now) {
        JsonNode time = entry.get("Time");
        if (time == null || time.isNull()) {
            return now;
        }
        if (time.isNumber()) {
            return Instant.ofEpochMilli(Math.round(time.asDouble() * 1000));
        }
        try {
            return Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            throw new ApiException("SerializationException", "Entry field Time must be a timestamp.");
        }
    }
}
