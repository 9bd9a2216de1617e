/**
 * JSON in and out (the SDK's shaded Jackson core, maps and lists only) and {@link dev.approvals.json.ApprovalJson},
 * the approval's one wire shape: the HTTP body, the direct answer and a workflow's output.
 */
package dev.approvals.json;
