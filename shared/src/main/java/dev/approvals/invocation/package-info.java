/**
 * One invocation of a decision function: read the event once, pick the adapter by its shape, decide, write the
 * answer and one JSON log line.
 */
package dev.approvals.invocation;
