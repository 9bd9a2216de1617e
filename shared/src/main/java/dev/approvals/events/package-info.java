/** Approval events to Amazon EventBridge (docs/events.md): the publisher the functions use after their statement. */
package dev.approvals.events;
