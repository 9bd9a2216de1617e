package dev.approvals.core;

import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.errors.ProposalKeyReusedException;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Creates an approval at most once per idempotency key (docs/design.md §3). The common case is one statement
 * that inserts, or returns what the key already created. When a concurrent request with the same key committed
 * after that statement's snapshot, the statement sees nothing, and the row is read once more, as
 * {@link DecisionService} does for decisions.
 */
public final class ProposalService {

    private final ProposalStore store;
    private final Supplier<UUID> ids;

    /** @param ids new approval ids */
    public ProposalService(ProposalStore store, Supplier<UUID> ids) {
        this.store = Objects.requireNonNull(store, "store");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /**
     * @return the created approval, or the one this key created before (a replay)
     * @throws ProposalKeyReusedException   the key created an approval for another request
     * @throws DecisionUnavailableException the database did not answer in time
     */
    public ProposalResult propose(ProposalRequest request, Instant deadline) {
        ProposalAttempt attempt = store.propose(ids.get(), request, deadline);
        if (attempt instanceof ProposalAttempt.Created created) {
            return new ProposalResult(created.created(), false);
        }
        ProposalAttempt.Existing existing = attempt instanceof ProposalAttempt.Existing seen ? seen
                : store.findByKey(request.requestedBy(), request.idempotencyKey(), deadline).orElseThrow(() ->
                        new DecisionUnavailableException("A proposal with this key is being written; retry", 1));
        if (!existing.requestHash().equals(request.requestHash())) {
            throw new ProposalKeyReusedException(existing.existing().approval().id());
        }
        return new ProposalResult(existing.existing(), true);
    }
}
