/** The approved actions the executor can run (docs/events.md): a webhook, and a log line by default. */
package dev.approvals.actions;
