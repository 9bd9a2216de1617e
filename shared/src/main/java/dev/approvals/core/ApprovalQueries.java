package dev.approvals.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading approvals without changing them (the read path's database role may only SELECT). Each method is one
 * round trip; expiry is judged by the database's clock, as the decision statement judges it.
 */
public interface ApprovalQueries {

    /** The approval as it is now. */
    Optional<ApprovalSnapshot> find(UUID approvalId, Instant deadline);

    /**
     * At most {@code rows} approvals matching the query's filters, after its position, in listing order
     * ({@code requested_at}, then {@code id}). The query's own limit is not applied.
     */
    List<ListedApproval> list(ListQuery query, int rows, Instant deadline);
}
