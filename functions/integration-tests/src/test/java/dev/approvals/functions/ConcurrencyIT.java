package dev.approvals.functions;

import dev.approvals.core.Decision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two decisions on one approval must be impossible, however the requests interleave. */
class ConcurrencyIT {

    private static final int APPROVALS = 50;
    private static final int DECIDERS = 16;

    private static LocalApprovals local;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        local = LocalApprovals.create("race");
        pool = Executors.newFixedThreadPool(DECIDERS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void sixteenConcurrentDecidersPerApproval_produceExactlyOneDecisionEach() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < APPROVALS; i++) {
            ids.add(local.seedPending());
        }
        int winners = 0;
        int losers = 0;
        for (UUID id : ids) {
            Decision winner = null;
            for (Race.Attempt attempt : Race.run(local, pool, id, DECIDERS)) {
                Answer answer = attempt.answer();
                assertThat(answer.status()).as(answer.raw()).isIn(200, 409);
                if (answer.status() == 200) {
                    assertThat(winner).as("a second winner for %s", id).isNull();
                    winner = attempt.decision();
                    winners++;
                } else {
                    assertThat(answer.body()).containsEntry("conflict", "already-decided");
                    losers++;
                }
            }
            assertThat(winner).as("a winner for %s", id).isNotNull();
            String status = winner == Decision.APPROVE ? "approved" : "rejected";
            assertThat(local.row(id)).containsEntry("status", status).containsEntry("version", 2);
            assertThat(local.events(id)).singleElement()
                    .satisfies(event -> assertThat(event).containsEntry("to_status", status).containsEntry("to_version", 2));
        }
        assertThat(winners).isEqualTo(APPROVALS);
        assertThat(losers).isEqualTo(APPROVALS * (DECIDERS - 1));
    }

    /**
     * The last row of the docs/design.md §3 table, made deterministic: a competitor holds the row lock while our statement
     * starts, then commits. Our update re-checks the new row and matches nothing, but the statement's snapshot still
     * shows the row pending at our version; only the second round trip (the re-read) sees the competitor's decision.
     */
    @Test
    void winnerCommittingAfterOurSnapshot_isFoundByTheReRead() throws Exception {
        UUID id = local.seedPending();
        Future<Answer> ours;
        long before;
        try (Connection competitor = local.jdbc.getConnection()) {
            competitor.setAutoCommit(false);
            try (PreparedStatement decide = competitor.prepareStatement(
                    "UPDATE ai_approvals SET status = 'approved', version = 2, decided_by = 'dave', decided_at = now(),"
                            + " decision_key = 'dave-key' WHERE id = ?")) {
                decide.setObject(1, id);
                assertThat(decide.executeUpdate()).isEqualTo(1);
            }
            before = local.dataApi.calls().count("ExecuteStatement");
            byte[] event = Shape.HTTP_API.event(Decision.REJECT, id, 1, "ours-" + id).bytes();
            ours = pool.submit(() -> Answer.invoke(local.reject, event));
            awaitStatementWaitingForALock();
            competitor.commit();
        }

        Answer answer = ours.get(30, TimeUnit.SECONDS);

        assertThat(answer.status()).as(answer.raw()).isEqualTo(409);
        assertThat(answer.body()).containsEntry("conflict", "already-decided").containsEntry("decidedBy", "dave")
                .containsEntry("currentStatus", "approved");
        assertThat(local.dataApi.calls().count("ExecuteStatement") - before).isEqualTo(2);
        assertThat(local.row(id)).containsEntry("status", "approved").containsEntry("decided_by", "dave");
    }

    /** Waits (bounded, it is not a timing assertion) until the decision statement is blocked on the row lock. */
    private static void awaitStatementWaitingForALock() throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(giveUp)) {
            List<Map<String, Object>> waiting = local.query(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%WITH decided AS%'");
            if (!waiting.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The decision statement never waited for the competitor's lock");
    }
}
