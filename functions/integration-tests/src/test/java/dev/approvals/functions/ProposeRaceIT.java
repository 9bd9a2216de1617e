package dev.approvals.functions;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One idempotency key, many concurrent proposals: exactly one approval, and every caller is told which. */
class ProposeRaceIT {

    private static final int ROUNDS = 20;
    private static final int PROPOSERS = 16;

    private static LocalApprovals local;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        local = LocalApprovals.create("proposerace");
        pool = Executors.newFixedThreadPool(PROPOSERS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void sixteenConcurrentProposalsWithOneKey_createOneRow_andAllSixteenAnswersNameIt() throws Exception {
        int created = 0;
        int replayed = 0;
        LocalApprovals.StatementCount sent = local.countStatements();
        for (int round = 0; round < ROUNDS; round++) {
            String key = "race-" + round + "-" + UUID.randomUUID();
            byte[] event = ApiEvents.propose(ApiEvents.refund(1000 + round), key).bytes();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int p = 0; p < PROPOSERS; p++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return Answer.invoke(local.propose, event);
                }));
            }
            go.countDown();
            Set<Object> ids = new TreeSet<>();
            for (Future<Answer> future : answers) {
                Answer answer = future.get(60, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.raw()).isIn(200, 201);
                if (answer.status() == 201) {
                    created++;
                } else {
                    assertThat(answer.headers()).containsEntry("Idempotent-Replayed", "true");
                    replayed++;
                }
                ids.add(answer.body().get("id"));
            }
            assertThat(ids).as("round %d", round).hasSize(1);
            assertThat(local.query("SELECT id FROM ai_approvals WHERE proposal_key = ?", key)).hasSize(1);
        }
        long statements = sent.sent();
        System.out.printf("propose race: %d rounds x %d proposers, one key per round: %d rows created, "
                        + "%d answers 201, %d answers 200 replayed, %d statements (%d re-reads)%n",
                ROUNDS, PROPOSERS, created, created, replayed, statements, statements - (long) ROUNDS * PROPOSERS);
        assertThat(created).isEqualTo(ROUNDS);
        assertThat(replayed).isEqualTo(ROUNDS * (PROPOSERS - 1));
    }

    /**
     * The re-read made deterministic: a competitor holds an uncommitted insert of our key, our statement waits on
     * it, then the competitor commits. {@code ON CONFLICT DO NOTHING} inserts nothing and our snapshot cannot see
     * the competitor's row; only the second statement does.
     */
    @Test
    void aProposalCommittedAfterOurSnapshot_isFoundByTheReRead_andAnsweredAsAReplay() throws Exception {
        String probeKey = "probe-" + UUID.randomUUID();
        Answer.invoke(local.propose, ApiEvents.propose(ApiEvents.refund(77), probeKey).bytes());
        String hashOfOurRequest = (String) local.query("SELECT proposal_hash FROM ai_approvals WHERE proposal_key = ?",
                probeKey).getFirst().get("proposal_hash");
        String key = "late-" + UUID.randomUUID();
        UUID theirs = UUID.randomUUID();

        Answer answer = racedByACompetitor(key, theirs, hashOfOurRequest, ApiEvents.refund(77));

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(answer.body()).containsEntry("id", theirs.toString());
    }

    @Test
    void aDifferentRequestCommittedAfterOurSnapshot_withOurKey_is422_afterTheReRead() throws Exception {
        String key = "late-other-" + UUID.randomUUID();
        UUID theirs = UUID.randomUUID();

        Answer answer = racedByACompetitor(key, theirs, "0".repeat(64), ApiEvents.refund(78));

        assertThat(answer.status()).as(answer.raw()).isEqualTo(422);
        assertThat(answer.body()).containsEntry("approvalId", theirs.toString());
    }

    private static Answer racedByACompetitor(String key, UUID theirs, String theirHash, String ourBody) throws Exception {
        Future<Answer> ours;
        long before;
        try (Connection competitor = local.jdbc.getConnection()) {
            competitor.setAutoCommit(false);
            try (PreparedStatement insert = competitor.prepareStatement("INSERT INTO ai_approvals (id, action_type,"
                    + " action_payload, requested_by, proposal_key, proposal_hash) VALUES (?, 'refund', '{}', ?, ?, ?)")) {
                insert.setObject(1, theirs);
                insert.setString(2, ApiEvents.AGENT);
                insert.setString(3, key);
                insert.setString(4, theirHash);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            before = local.dataApi.calls().count("ExecuteStatement");
            byte[] event = ApiEvents.propose(ourBody, key).bytes();
            ours = pool.submit(() -> Answer.invoke(local.propose, event));
            awaitProposalWaitingForALock();
            competitor.commit();
        }
        Answer answer = ours.get(30, TimeUnit.SECONDS);
        assertThat(local.dataApi.calls().count("ExecuteStatement") - before).as("the statement and one re-read")
                .isEqualTo(2);
        assertThat(local.query("SELECT id FROM ai_approvals WHERE proposal_key = ?", key)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("id", theirs));
        return answer;
    }

    /** Waits (bounded, it is not a timing assertion) until the proposal statement is blocked on the competitor. */
    private static void awaitProposalWaitingForALock() throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(giveUp)) {
            List<Map<String, Object>> waiting = local.query(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%WITH proposed AS%'");
            if (!waiting.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The proposal statement never waited for the competitor's insert");
    }
}
