/**
 * This project's seed data: pending approvals put into a migrated {@code ai_approvals} database over JDBC, for the
 * local stack's {@code --seed}, tests and benchmarks. The schema is this project's, so it lives here and not in
 * the generic Data API emulator ({@code dev.approvals.local.dataapi}).
 */
package dev.approvals.local.seeds;
