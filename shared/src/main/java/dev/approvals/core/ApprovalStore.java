package dev.approvals.core;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Where approvals live. Each method is one round trip to the database. */
public interface ApprovalStore {

    /**
     * Decides the approval if it is pending, at the expected version and not expired, recording the audit
     * event in the same statement; otherwise reports the row as it was.
     *
     * @param deadline give up waiting for the database (e.g. while Aurora resumes) at this instant
     * @throws dev.approvals.errors.DecisionUnavailableException when the database cannot answer in time
     */
    DecisionAttempt decide(DecisionRequest request, Instant deadline);

    /** Reads the approval as it is now. */
    Optional<ApprovalSnapshot> read(UUID approvalId, Instant deadline);
}
