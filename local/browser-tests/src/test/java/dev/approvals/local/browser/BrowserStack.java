package dev.approvals.local.browser;

import dev.approvals.local.seeds.ApprovalSeeds;
import dev.approvals.local.lambda.LogSink;
import dev.approvals.local.stack.LocalStack;
import dev.approvals.local.stack.LocalStackConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real local stack from template.yaml for every browser test of this JVM: the functions under the Lambda RIC,
 * the local Data API, PostgreSQL, on free ports, with {@code ApproverGroup=approvers} so that a person outside the
 * group (carol) is refused. Output in target/it-logs/browser-stack.log; stopped when the JVM exits.
 */
final class BrowserStack {

    private static LocalStack stack;

    private BrowserStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            Path root = Path.of(System.getProperty("approvals.repositoryRoot", "../..")).toAbsolutePath().normalize();
            stack = LocalStack.start(LocalStackConfig.builder(root).anyFreePorts().poolSize(2).prewarm(1)
                    .parameter("ApproverGroup", "approvers").log(logFile()).build());
            LocalStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "browser-stack-stop"));
        }
        return stack;
    }

    static String url() {
        return get().httpEndpoint() + "/";
    }

    /** The local secret through which functions reach the database as {@code role}. */
    static String secretOf(String role) {
        return get().databaseRoles().entrySet().stream().filter(e -> e.getValue().equals(role))
                .map(java.util.Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("No secret for role " + role));
    }

    static ApprovalSeeds seeds() {
        return ApprovalSeeds.into(get().dataApi().dataSource(get().dataApi().databaseName()));
    }

    /** One pending approval at version 1. */
    static UUID pending(String actionType, String payloadJson, String requestedBy, java.time.Instant expiresAt) {
        UUID id = UUID.randomUUID();
        seeds().pending(id, new ApprovalSeeds.Action(actionType, payloadJson, requestedBy), expiresAt);
        return id;
    }

    /** The columns of the approval as stored, and its number of audit events, as text. */
    static Stored stored(UUID id) {
        try (Connection c = get().dataApi().dataSource(get().dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT status, version, decided_by, decision_reason, "
                     + "decision_key, (SELECT count(*) FROM ai_approval_events e WHERE e.approval_id = a.id) "
                     + "FROM ai_approvals a WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new Stored(r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getInt(6));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An approval as the database holds it: status, version, who decided, why, with which key, audit events. */
    record Stored(String status, int version, String decidedBy, String reason, String decisionKey, int events) {
    }

    /** Ids of every pending approval, oldest first (as the inbox lists them). */
    static List<UUID> pendingIds() {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = get().dataApi().dataSource(get().dataApi().databaseName()).getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT id FROM ai_approvals WHERE status = 'pending' ORDER BY requested_at, id");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                ids.add(r.getObject(1, UUID.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private static LogSink logFile() {
        try {
            Path logs = Files.createDirectories(Path.of("target", "it-logs"));
            return LogSink.to(new PrintStream(Files.newOutputStream(logs.resolve("browser-stack.log")), true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
