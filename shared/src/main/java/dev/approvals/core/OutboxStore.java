package dev.approvals.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The outbox as the outbox function sees it (docs/design.md §12): read what is unpublished, mark it published. */
public interface OutboxStore {

    /** Unpublished events written at least {@code olderThan} ago (by the database's clock), oldest first. */
    List<ApprovalEvent> unpublished(Duration olderThan, int limit, Instant deadline);

    /** Marks these events published (those already marked stay as they were). @return how many it marked */
    int markPublished(List<String> eventIds, Instant deadline);
}
