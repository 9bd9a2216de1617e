package dev.approvals.core;

import java.time.Instant;
import java.util.UUID;

/** Records executions of approved actions, one per approval (db/migrations/V7, {@code ai_action_executions}). */
public interface ExecutionStore {

    /** What claiming an execution found. */
    sealed interface Claim {
        /** This call recorded the execution: the action is this caller's to run, with the approval as stored. */
        record Claimed(Approval approval) implements Claim {
        }

        /** Another delivery recorded it first: the action ran, or is running, elsewhere. */
        record AlreadyClaimed() implements Claim {
        }

        /** The approval does not exist, or is not approved at the version named: nothing may run. */
        record NotApproved() implements Claim {
        }
    }

    /**
     * In one statement: confirms the approval is approved at {@code version} and records its execution unless one is
     * recorded already.
     */
    Claim claim(UUID approvalId, int version, String executor, Instant deadline);

    /** Records how the claimed execution ended. */
    void finish(UUID approvalId, boolean succeeded, String detail, Instant deadline);
}
