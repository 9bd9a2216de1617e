package dev.approvals.core;

import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.errors.ProposalKeyReusedException;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates an approval at most once (docs/design.md §8), for the propose route and for a workflow's propose step. A
 * proposal with an idempotency key is created at most once per key; one without, at most once per id (fresh for
 * each HTTP request, the execution's own for a workflow, so a retried step finds its row). The common case is one
 * statement that inserts, or returns what the key (or id) already created. When a concurrent request committed
 * after that statement's snapshot, the statement sees nothing, and the row is read once more, as
 * {@link DecisionService} does for decisions.
 */
public final class ProposalService {

    private final ProposalStore store;
    private final EventPublisher events;

    /** A service that publishes no events itself: new approvals' outbox rows wait for the sweeper. */
    public ProposalService(ProposalStore store) {
        this(store, EventPublisher.NONE);
    }

    /** @param events where a new approval's {@code ApprovalRequested} is published once its statement committed */
    public ProposalService(ProposalStore store, EventPublisher events) {
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * @param id the new approval's id
     * @return the created approval, or the one this key (or id) created before (a replay)
     * @throws ProposalKeyReusedException   the key created an approval for another request
     * @throws DecisionUnavailableException the database did not answer in time
     */
    public ProposalResult propose(UUID id, ProposalRequest request, Instant deadline) {
        ProposalAttempt attempt = store.propose(id, request, deadline);
        if (attempt instanceof ProposalAttempt.Created created) {
            // After the commit, no second statement (docs/design.md §12); a lost publish is the sweeper's.
            events.publish(List.of(ApprovalEvent.of(created.created().approval())));
            return new ProposalResult(created.created(), false);
        }
        ProposalAttempt.Existing existing = attempt instanceof ProposalAttempt.Existing seen ? seen
                : store.findExisting(id, request, deadline).orElseThrow(() ->
                        new DecisionUnavailableException("A proposal with this key is being written; retry", 1));
        if (request.idempotencyKey() != null && !request.requestHash().equals(existing.requestHash())) {
            throw new ProposalKeyReusedException(existing.existing().approval().id());
        }
        return new ProposalResult(existing.existing(), true);
    }
}
