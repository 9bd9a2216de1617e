package dev.approvals.core;

import dev.approvals.errors.ApprovalNotFoundException;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads one approval, or lists a page of them with keyset pagination: a page starts strictly after the last
 * approval of the previous one in ({@code requested_at}, {@code id}) order, so an approval present for the whole
 * listing is shown exactly once however many are proposed or decided meanwhile.
 */
public final class ReadService {

    private final ApprovalQueries queries;

    public ReadService(ApprovalQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    /** @throws ApprovalNotFoundException no such approval */
    public ApprovalSnapshot read(UUID approvalId, Instant deadline) {
        return queries.find(approvalId, deadline).orElseThrow(() -> new ApprovalNotFoundException(approvalId));
    }

    /** One page; one row more than the limit is read to know whether another page follows. */
    public ApprovalPage list(ListQuery query, Instant deadline) {
        List<ListedApproval> rows = queries.list(query, query.limit() + 1, deadline);
        boolean more = rows.size() > query.limit();
        List<ListedApproval> page = more ? rows.subList(0, query.limit()) : rows;
        return new ApprovalPage(page.stream().map(ListedApproval::snapshot).toList(),
                more ? Optional.of(page.getLast().position()) : Optional.empty());
    }
}
