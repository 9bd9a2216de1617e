/**
 * The stores on the RDS Data API (decide, read, propose, the workflow's own statements): one
 * {@code ExecuteStatement} per call, every parameter bound, Aurora's resume waited out until the caller's deadline.
 */
package dev.approvals.store;
