package dev.approvals.local.stack;

import dev.approvals.local.seeds.ApprovalSeeds;
import dev.approvals.local.apigateway.JwtTokens;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 32 concurrent HTTP clients decide 200 approvals through the whole stack: three contenders per approval (two
 * approvers and one rejecter, each with their own token), all sent at once in shuffled order. Exactly one
 * contender wins each approval, the others get 409, nothing answers 5xx. Throughput and latency are printed (and
 * written to target/it-logs/load.txt), never asserted. A smaller warm-up round runs first (and is checked too).
 */
class LoadIT {

    private static final int CLIENTS = 32;
    private static final int APPROVALS = 200;

    private record Attempt(UUID approval, String decision, String token) {
    }

    private record Outcome(Attempt attempt, int status, long nanos) {
    }

    /** What one round of contended decisions gave. */
    private record Round(List<UUID> ids, int requests, Map<Integer, Integer> byStatus, Map<UUID, Integer> winners,
                         List<Long> sortedNanos, double seconds) {
        int count(int status) {
            return byStatus.getOrDefault(status, 0);
        }

        int serverErrors() {
            return byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
        }
    }

    @Test
    void concurrentDeciders_shouldProduceExactlyOneWinnerPerApprovalAndNo5xx() throws Exception {
        LocalStack stack = Stacks.shared();
        // a first, smaller round cold-starts the environments the load needs (Lambda would too) and warms the JIT;
        // it is checked like the measured round, but its numbers are reported separately
        Round warmUp = round(stack, 50);
        Round measured = round(stack, APPROVALS);

        String report = String.format(Locale.ROOT, "LOAD %d clients, %d requests (%d approvals x 3 contenders) through"
                        + " the HTTP API: %d winners, %d conflicts (409), %d 5xx; %.1f s, %.1f requests/s;"
                        + " latency p50 %.1f ms, p99 %.1f ms, max %.1f ms. Warm-up round before it (%d approvals,"
                        + " cold starts included): %.1f requests/s, p50 %.1f ms, p99 %.1f ms. Environments: %s",
                CLIENTS, measured.requests(), APPROVALS, measured.count(200), measured.count(409),
                measured.serverErrors(), measured.seconds(), measured.requests() / measured.seconds(),
                percentile(measured.sortedNanos(), 50), percentile(measured.sortedNanos(), 99),
                measured.sortedNanos().getLast() / 1e6, warmUp.ids().size(), warmUp.requests() / warmUp.seconds(),
                percentile(warmUp.sortedNanos(), 50), percentile(warmUp.sortedNanos(), 99), environments(stack));
        System.out.println(report);
        Files.writeString(Files.createDirectories(Path.of("target", "it-logs")).resolve("load.txt"), report + "\n");

        for (Round round : List.of(warmUp, measured)) {
            // exactly one winner per approval, every other contender refused with 409, no 5xx
            assertThat(round.byStatus()).containsOnlyKeys(200, 409);
            assertThat(round.count(200)).isEqualTo(round.ids().size());
            assertThat(round.count(409)).isEqualTo(2 * round.ids().size());
            assertThat(round.winners()).hasSize(round.ids().size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            // and the database agrees: each approval decided once, now at version 2, with one audit event
            try (Connection c = stack.dataApi().dataSource(stack.dataApi().databaseName()).getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE a.status <> 'pending'"
                         + " AND a.version = 2), (SELECT count(*) FROM ai_approval_events e"
                         + " WHERE e.approval_id = ANY(?)) FROM ai_approvals a WHERE a.id = ANY(?)")) {
                UUID[] array = round.ids().toArray(UUID[]::new);
                s.setArray(1, c.createArrayOf("uuid", array));
                s.setArray(2, c.createArrayOf("uuid", array));
                try (ResultSet r = s.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getInt(1)).isEqualTo(round.ids().size());
                    assertThat(r.getInt(2)).isEqualTo(round.ids().size());
                }
            }
        }
    }

    /** {@code approvals} new pending approvals, three contenders each, sent by 32 clients in shuffled order. */
    private static Round round(LocalStack stack, int approvals) throws Exception {
        ApprovalSeeds seeds = ApprovalSeeds.into(stack.dataApi().dataSource(stack.dataApi().databaseName()));
        List<UUID> ids = seeds.pendingRandom(approvals).stream().map(ApprovalSeeds.Seed::id).toList();
        Instant now = Instant.now();
        String alice = token("load-alice", now);
        String bob = token("load-bob", now);
        String carol = token("load-carol", now);
        List<Attempt> attempts = new ArrayList<>();
        for (UUID id : ids) {
            attempts.add(new Attempt(id, "approve", alice));
            attempts.add(new Attempt(id, "approve", bob));
            attempts.add(new Attempt(id, "reject", carol));
        }
        Collections.shuffle(attempts, new Random(42));

        ConcurrentLinkedQueue<Attempt> work = new ConcurrentLinkedQueue<>(attempts);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            running.add(clients.submit(() -> {
                go.await();
                Attempt attempt;
                while ((attempt = work.poll()) != null) {
                    long started = System.nanoTime();
                    HttpResponse<String> response = Http.post(URI.create(stack.httpEndpoint() + "/approvals/"
                            + attempt.approval() + "/" + attempt.decision()), attempt.token(),
                            "{\"expectedVersion\": 1, \"reason\": \"load\"}");
                    outcomes.add(new Outcome(attempt, response.statusCode(), System.nanoTime() - started));
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        go.countDown();
        try {
            for (Future<?> client : running) {
                client.get(10, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        Map<Integer, Integer> byStatus = new HashMap<>();
        Map<UUID, Integer> winners = new HashMap<>();
        for (Outcome outcome : outcomes) {
            byStatus.merge(outcome.status(), 1, Integer::sum);
            if (outcome.status() == 200) {
                winners.merge(outcome.attempt().approval(), 1, Integer::sum);
            }
        }
        assertThat(outcomes).hasSize(attempts.size());
        return new Round(ids, attempts.size(), byStatus, winners, outcomes.stream().map(Outcome::nanos).sorted()
                .toList(), seconds);
    }

    private static String token(String subject, Instant now) {
        return JwtTokens.unsigned(JwtTokens.devClaims(subject, subject, List.of("approvers"), LocalStack.LOCAL_ISSUER,
                LocalStack.LOCAL_CLIENT_ID, now, Duration.ofHours(1)));
    }

    private static double percentile(List<Long> sortedNanos, int p) {
        int index = (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }

    private static String environments(LocalStack stack) {
        Map<String, String> starts = new java.util.LinkedHashMap<>();
        stack.functions().forEach((name, f) -> {
            if (f.coldStarts() > 0) {
                starts.put(name, f.environments().size() + " (Init Duration ms " + f.environments().stream()
                        .map(e -> String.format(Locale.ROOT, "%.0f", e.initDurationMs())).toList() + ")");
            }
        });
        return starts.toString();
    }
}
