package dev.approvals.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The approvals the sample events in {@code events/} target: {@code pathParameters.id} of the HTTP events,
 * {@code approvalId} of the direct ones. Seeding exactly these makes {@code sam local invoke -e events/...},
 * {@code aws lambda invoke --payload fileb://events/...} and the printed curl lines work against a fresh stack.
 */
public final class SampleEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleEvents() {
    }

    /** Approval id to the first event file (shortest name first) that targets it; empty when there is no such directory. */
    public static Map<UUID, String> approvalIds(Path eventsDirectory) {
        Map<UUID, String> ids = new LinkedHashMap<>();
        if (!Files.isDirectory(eventsDirectory)) {
            return ids;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(eventsDirectory)) {
            // shortest name first: approve-http.json names an id before approve-http-if-match-base64.json does
            files = list.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(java.util.Comparator.comparing((Path p) -> p.getFileName().toString().length())
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            return ids;
        }
        for (Path file : files) {
            try {
                JsonNode event = JSON.readTree(file.toFile());
                JsonNode id = event.path("pathParameters").path("id");
                if (!id.isTextual()) {
                    id = event.path("approvalId");
                }
                if (id.isTextual()) {
                    ids.putIfAbsent(UUID.fromString(id.asText()), file.getFileName().toString());
                }
            } catch (IOException | IllegalArgumentException e) {
                // not an approvals event, or not a UUID: nothing to seed
            }
        }
        return ids;
    }
}
