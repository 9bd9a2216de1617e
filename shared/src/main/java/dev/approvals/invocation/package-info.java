/**
 * One invocation of a function: read the event once, pick the adapter by its shape (decisions), its route (read,
 * list, propose) or its step (the workflow), run it, write the answer and one JSON log line.
 */
package dev.approvals.invocation;
