package dev.approvals.core;

import java.util.List;

/**
 * Sends approval events to the bus (EventBridge on AWS). Publishing is at least once: a caller may send an event
 * that was already sent (a replay, the sweeper), and consumers deduplicate on the event id.
 */
public interface EventPublisher {

    /** Publishes nothing: the outbox keeps every event for the sweeper (a function without a bus configured). */
    EventPublisher NONE = events -> List.of();

    /**
     * Sends the events; an event the bus refused, or any failure to reach it, leaves that event unpublished (its
     * outbox row stays for the sweeper). Never throws for the bus's sake.
     *
     * @return the events the bus accepted
     */
    List<ApprovalEvent> publish(List<ApprovalEvent> events);
}
