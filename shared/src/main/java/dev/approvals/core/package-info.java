/**
 * The domain: an approval and its statuses, a decision request and its result, the {@link
 * dev.approvals.core.ApprovalStore} port, and {@link dev.approvals.core.DecisionService}, which turns what the
 * one conditional statement returned into an answer (docs/design.md §3). No AWS, HTTP or JSON types.
 */
package dev.approvals.core;
