/**
 * The {@link dev.approvals.core.ApprovalStore} on the RDS Data API: one {@code ExecuteStatement} per call,
 * every parameter bound, Aurora's resume waited out until the caller's deadline.
 */
package dev.approvals.store;
