package dev.approvals.core;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Where proposals are stored (the propose path's database role may only insert approvals and read them back). */
public interface ProposalStore {

    /** Inserts a pending approval at version 1 with {@code id}, unless the caller's idempotency key is taken. */
    ProposalAttempt propose(UUID id, ProposalRequest request, Instant deadline);

    /** The approval the caller's key created, read afresh. */
    Optional<ProposalAttempt.Existing> findByKey(String requestedBy, String idempotencyKey, Instant deadline);
}
