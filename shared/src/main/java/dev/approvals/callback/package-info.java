/**
 * Resuming a Step Functions workflow that waits on an approval, after the winning decision (or its replay)
 * only.
 */
package dev.approvals.callback;
