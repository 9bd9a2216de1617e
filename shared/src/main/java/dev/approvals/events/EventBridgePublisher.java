package dev.approvals.events;

import dev.approvals.core.ApprovalEvent;
import dev.approvals.core.EventPublisher;
import dev.approvals.json.ApprovalEventJson;
import dev.approvals.json.Json;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Publishes approval events to one EventBridge bus with {@code PutEvents}, ten to a call (the API's limit). Any
 * failure, of a call or of an entry, leaves those events unpublished and is reported through the return value only:
 * the outbox keeps them for the sweeper, and a decision already committed must never fail for the bus's sake.
 */
public final class EventBridgePublisher implements EventPublisher {

    static final int ENTRIES_PER_CALL = 10;

    private final Supplier<EventBridgeClient> client;
    private final String busName;

    /** @param client built on the first publish (a lazy supplier keeps it out of the cold start) */
    public EventBridgePublisher(Supplier<EventBridgeClient> client, String busName) {
        this.client = Objects.requireNonNull(client, "client");
        this.busName = Objects.requireNonNull(busName, "busName");
    }

    @Override
    public List<ApprovalEvent> publish(List<ApprovalEvent> events) {
        List<ApprovalEvent> accepted = new ArrayList<>(events.size());
        for (int from = 0; from < events.size(); from += ENTRIES_PER_CALL) {
            accepted.addAll(call(events.subList(from, Math.min(from + ENTRIES_PER_CALL, events.size()))));
        }
        return accepted;
    }

    private List<ApprovalEvent> call(List<ApprovalEvent> batch) {
        List<PutEventsRequestEntry> entries = batch.stream().map(this::entry).toList();
        PutEventsResponse response;
        try {
            response = client.get().putEvents(request -> request.entries(entries));
        } catch (RuntimeException unreachable) {
            return List.of();
        }
        List<PutEventsResultEntry> results = response.entries();
        List<ApprovalEvent> accepted = new ArrayList<>(batch.size());
        // Results come in the order of the entries; an entry with an error code was not put on the bus.
        for (int i = 0; i < batch.size() && i < results.size(); i++) {
            if (results.get(i).errorCode() == null && results.get(i).eventId() != null) {
                accepted.add(batch.get(i));
            }
        }
        return accepted;
    }

    private PutEventsRequestEntry entry(ApprovalEvent event) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(ApprovalEventJson.SOURCE)
                .detailType(event.kind().wireName())
                .resources(List.of())
                .detail(Json.write(ApprovalEventJson.detail(event)))
                .build();
    }
}
