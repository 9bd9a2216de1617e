/**
 * The public, stable error contract of the approve and reject functions.
 *
 * <p>On the direct-invocation path (Step Functions {@code lambda:invoke}, SDK or CLI {@code Invoke}) these
 * exceptions are thrown out of the handler, and Lambda reports each by its fully-qualified class name: that
 * name is what a state machine's {@code Retry} and {@code Catch} match in {@code ErrorEquals}. So every class
 * here is top-level (never {@code Outer$Inner}), its name never changes, and its message never contains SQL,
 * stack traces or secrets. Stack traces are not captured: these are answers, not bugs.
 */
package dev.approvals.errors;
