/**
 * Field rules shared by the HTTP and direct adapters: ids, versions, reasons, idempotency keys, actors. Every
 * failure is an {@link dev.approvals.errors.InvalidDecisionRequestException} whose message names the field.
 */
package dev.approvals.input;
