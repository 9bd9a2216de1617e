package dev.approvals.core;

/** One approval of a listing and its place in the listing order. */
public record ListedApproval(ApprovalSnapshot snapshot, ListPosition position) {
}
