/**
 * The direct-invocation adapter: the plain payload of a Step Functions {@code lambda:invoke} task, an SDK or
 * CLI Invoke, and a workflow execution's input. Its refusals are thrown as {@code dev.approvals.errors} types.
 */
package dev.approvals.direct;
