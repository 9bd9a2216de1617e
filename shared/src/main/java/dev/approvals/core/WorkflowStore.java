package dev.approvals.core;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What only the approval step of a workflow writes (docs/workflows.md); it proposes and reads through
 * {@link ProposalStore} and {@link ApprovalQueries} like the other callers. Each method is one round trip. It never
 * reads task tokens or decision keys: the approvals it returns carry neither.
 */
public interface WorkflowStore {

    /**
     * Stores the task token of the workflow that waits on the approval, if the approval is pending and before its
     * deadline.
     *
     * @return whether the token was stored; when not, the approval is decided, expired or missing
     */
    boolean attachTaskToken(UUID approvalId, String taskToken, Instant deadline);

    /**
     * Expires the approval if it is still pending (the workflow stopped waiting), with its audit event.
     *
     * @return the expired approval, or empty when the update matched nothing: read the row again to learn why
     */
    Optional<Approval> expire(UUID approvalId, String actor, String decisionKey, Instant deadline);
}
