package dev.approvals.local.seeds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * Puts approvals into a migrated approvals database over JDBC, for demos and tests: each seeded approval is
 * pending at version 1 afterwards, whatever state it was in before (its audit events are removed too), so a seed
 * can be rerun on a database that is kept across runs.
 *
 * <p>The audit table is append-only (db/migrations/V6): its trigger refuses DELETE for everyone. Only its owner, the
 * admin user this seeder connects as, can lift that, and it does so inside the seeding transaction alone
 * ({@code ALTER TABLE ... DISABLE TRIGGER} is transactional, and its lock keeps every other session waiting until
 * the trigger is enabled again), the deliberate, visible step the trigger asks of anyone removing audit rows.
 *
 * <pre>{@code
 * ApprovalSeeds seeds = ApprovalSeeds.into(api.dataSource(db));
 * seeds.pending(UUID.fromString("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f"));
 * List<ApprovalSeeds.Seed> demo = seeds.pendingRandom(3);
 * }</pre>
 */
public final class ApprovalSeeds {

    /** What a seeded approval asks for. */
    public record Action(String type, String payloadJson, String requestedBy) {
        public Action {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(payloadJson, "payloadJson");
            Objects.requireNonNull(requestedBy, "requestedBy");
        }
    }

    /** A seeded approval: always pending at version 1 right after seeding. */
    public record Seed(UUID id, Action action, Instant expiresAt) {
        public String status() {
            return "pending";
        }

        public int version() {
            return 1;
        }
    }

    /** The action used when none is named: a refund an agent proposed. */
    public static final Action REFUND = new Action("refund", "{\"amount\": 42, \"currency\": \"EUR\"}", "agent-7");

    private static final List<Action> DEMO_ACTIONS = List.of(
            REFUND,
            new Action("send_email", "{\"to\": \"customer@example.com\", \"template\": \"apology\"}", "agent-3"),
            new Action("change_record", "{\"table\": \"orders\", \"id\": 1042, \"set\": {\"status\": \"hold\"}}",
                    "agent-5"),
            new Action("spend", "{\"amount\": 250, \"currency\": \"USD\", \"vendor\": \"ads\"}", "agent-9"));

    /** The trigger of db/migrations/V6 that keeps audit events append-only. */
    private static final String APPEND_ONLY_TRIGGER = "ai_approval_events_append_only";

    private final DataSource jdbc;

    private ApprovalSeeds(DataSource jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    public static ApprovalSeeds into(DataSource jdbc) {
        return new ApprovalSeeds(jdbc);
    }

    /** {@code id} as a pending refund at version 1 (created, or reset if it exists). */
    public Seed pending(UUID id) {
        return pending(id, REFUND, null);
    }

    /** {@code id} pending at version 1 with this action and optional deadline (created, or reset if it exists). */
    public Seed pending(UUID id, Action action, Instant expiresAt) {
        return pendingAll(List.of(new Seed(id, action, expiresAt))).getFirst();
    }

    /** Several approvals, in one transaction. */
    public List<Seed> pendingAll(Collection<Seed> seeds) {
        try (Connection connection = jdbc.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement ddl = connection.createStatement();
                 PreparedStatement deleteEvents = connection.prepareStatement(
                         "DELETE FROM ai_approval_events WHERE approval_id = ?");
                 PreparedStatement deleteOutbox = connection.prepareStatement(
                         "DELETE FROM ai_approval_outbox WHERE approval_id = ?");
                 PreparedStatement deleteExecution = connection.prepareStatement(
                         "DELETE FROM ai_action_executions WHERE approval_id = ?");
                 PreparedStatement deleteApproval = connection.prepareStatement(
                         "DELETE FROM ai_approvals WHERE id = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO ai_approvals (id, action_type, action_payload, requested_by, expires_at)"
                                 + " VALUES (?, ?, ?::jsonb, ?, ?)")) {
                for (Seed seed : seeds) {
                    deleteEvents.setObject(1, seed.id());
                    deleteEvents.addBatch();
                    deleteOutbox.setObject(1, seed.id());
                    deleteOutbox.addBatch();
                    deleteExecution.setObject(1, seed.id());
                    deleteExecution.addBatch();
                    deleteApproval.setObject(1, seed.id());
                    deleteApproval.addBatch();
                    insert.setObject(1, seed.id());
                    insert.setString(2, seed.action().type());
                    insert.setString(3, seed.action().payloadJson());
                    insert.setString(4, seed.action().requestedBy());
                    insert.setTimestamp(5, seed.expiresAt() == null ? null : Timestamp.from(seed.expiresAt()));
                    insert.addBatch();
                }
                ddl.execute("ALTER TABLE ai_approval_events DISABLE TRIGGER " + APPEND_ONLY_TRIGGER);
                deleteEvents.executeBatch();
                ddl.execute("ALTER TABLE ai_approval_events ENABLE TRIGGER " + APPEND_ONLY_TRIGGER);
                deleteOutbox.executeBatch();
                deleteExecution.executeBatch();
                deleteApproval.executeBatch();
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot seed approvals: " + e.getMessage(), e);
        }
        return List.copyOf(seeds);
    }

    /** {@code count} new pending approvals with random ids and a mix of demo actions. */
    public List<Seed> pendingRandom(int count) {
        List<Seed> seeds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            seeds.add(new Seed(UUID.randomUUID(), DEMO_ACTIONS.get(i % DEMO_ACTIONS.size()), null));
        }
        return pendingAll(seeds);
    }
}
