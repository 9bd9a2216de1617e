package dev.approvals.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Publishes what the deciding functions did not (docs/design.md §12): a crash between commit and publish, a bus that
 * refused or could not be reached. Runs every minute; leaves alone what is younger than {@code grace}, which the
 * function that wrote it is probably publishing right now.
 */
public final class OutboxSweeper {

    /** Rows read per statement; published ten to a call (the bus's limit). */
    static final int BATCH = 100;

    private final OutboxStore store;
    private final EventPublisher publisher;
    private final Duration grace;
    private final Clock clock;

    public OutboxSweeper(OutboxStore store, EventPublisher publisher, Duration grace, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What one sweep did. */
    public record Sweep(int found, int published) {
    }

    /**
     * Publishes unpublished events in batches until none is left, a batch publishes nothing (the bus is down: the
     * next sweep tries again), or the deadline is near.
     */
    public Sweep sweep(Instant deadline) {
        int found = 0;
        int published = 0;
        while (clock.instant().isBefore(deadline)) {
            List<ApprovalEvent> batch = store.unpublished(grace, BATCH, deadline);
            found += batch.size();
            List<ApprovalEvent> sent = publisher.publish(batch);
            if (!sent.isEmpty()) {
                published += store.markPublished(sent.stream().map(ApprovalEvent::eventId).toList(), deadline);
            }
            if (batch.size() < BATCH || sent.isEmpty()) {
                break;
            }
        }
        return new Sweep(found, published);
    }

    /** An event the bus delivered back to the outbox function: it is published. @return whether it was not yet marked */
    public boolean delivered(String eventId, Instant deadline) {
        return store.markPublished(List.of(eventId), deadline) > 0;
    }
}
