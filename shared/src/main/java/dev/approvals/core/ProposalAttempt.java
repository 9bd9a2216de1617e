package dev.approvals.core;

/** What one run of the proposal statement found. */
public sealed interface ProposalAttempt {

    /** The approval was inserted: this request created it. */
    record Created(ApprovalSnapshot created) implements ProposalAttempt {
    }

    /**
     * The caller's key (or, keyless, the id) was already taken, by the request whose digest is {@code requestHash}
     * (null for a proposal without a key).
     */
    record Existing(ApprovalSnapshot existing, String requestHash) implements ProposalAttempt {
    }

    /**
     * The key was taken by a request that committed after this statement's snapshot: the insert did nothing and
     * the statement could not see the row that stopped it. A second read sees it.
     */
    record Unseen() implements ProposalAttempt {
    }
}
