package dev.approvals.local.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SampleEventsTest {

    @Test
    void repositoryEvents_shouldNameTheApprovalsTheyTarget() {
        Map<UUID, String> ids = SampleEvents.approvalIds(Stacks.root().resolve("events"));

        // read-http.json reads the approval approve-http.json decides; the shorter name comes first
        assertThat(ids).containsEntry(UUID.fromString("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f"), "read-http.json")
                .containsEntry(UUID.fromString("6c1d8a3f-9b4e-4d2c-8f70-3e5b9c2d4f60"), "reject-http.json")
                .containsEntry(UUID.fromString("7d2e9b4a-0c5f-4e3d-9a81-4f6c0d3e5a71"), "approve-rest.json")
                .containsEntry(UUID.fromString("8e3f0c5b-1d6a-4f4e-8b92-5a7d1e4f6b82"), "approve-direct.json");
    }

    @Test
    void otherFiles_shouldBeIgnored(@TempDir Path events) throws Exception {
        Files.writeString(events.resolve("a.json"), "{\"approvalId\": \"not-a-uuid\"}");
        Files.writeString(events.resolve("b.json"), "not json");
        Files.writeString(events.resolve("c.txt"), "{\"approvalId\": \"" + UUID.randomUUID() + "\"}");
        UUID id = UUID.randomUUID();
        Files.writeString(events.resolve("d.json"), "{\"pathParameters\": {\"id\": \"" + id + "\"}}");

        assertThat(SampleEvents.approvalIds(events)).containsOnlyKeys(id);
        assertThat(SampleEvents.approvalIds(events.resolve("missing"))).isEmpty();
    }
}
