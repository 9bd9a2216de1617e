package dev.approvals.core;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param next where the next page starts; empty on the last page
 */
public record ApprovalPage(List<ApprovalSnapshot> items, Optional<ListPosition> next) {

    public ApprovalPage {
        items = List.copyOf(items);
    }
}
