/**
 * Configuration from environment variables (validated at init), the SDK clients, and the object graph each
 * handler runs.
 */
package dev.approvals.wiring;
