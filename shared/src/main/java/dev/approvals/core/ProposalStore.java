package dev.approvals.core;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Where proposals are stored (the propose and workflow database roles may only insert approvals and read them back).
 * A proposal with an idempotency key is identified by its requester and key; one without, by its id.
 */
public interface ProposalStore {

    /** Inserts a pending approval at version 1 with {@code id}, unless the request's key (or, keyless, the id) is taken. */
    ProposalAttempt propose(UUID id, ProposalRequest request, Instant deadline);

    /** The approval that took the request's key (or, keyless, its id for the same requester), read afresh. */
    Optional<ProposalAttempt.Existing> findExisting(UUID id, ProposalRequest request, Instant deadline);
}
