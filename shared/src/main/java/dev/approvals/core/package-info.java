/**
 * The domain: an approval and its statuses, a decision request and its result, the {@link
 * dev.approvals.core.ApprovalStore} port, and {@link dev.approvals.core.DecisionService}, which turns what the
 * one conditional statement returned into an answer (docs/design.md §3); reading, listing and proposing (§8); and
 * the workflow's steps built on them (§10). No AWS, HTTP or JSON types.
 */
package dev.approvals.core;
