package dev.approvals.functions;

import dev.approvals.core.Decision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyset pagination while the data moves: 8 writers propose new approvals and decide pending ones while a reader
 * pages through {@code status=pending} with {@code limit=7}. Every approval pending for the whole listing must be
 * listed exactly once, and nothing twice.
 */
class PaginationUnderLoadIT {

    private static final int WRITERS = 8;
    private static final int INITIALLY_PENDING = 150;
    private static final int PAGE = 7;

    @Test
    void readerPagingPending_whileWritersProposeAndDecide_listsEveryApprovalPendingThroughoutExactlyOnce()
            throws Exception {
        LocalApprovals local = LocalApprovals.create("pagingload");
        List<UUID> initially = new ArrayList<>();
        for (int i = 0; i < INITIALLY_PENDING; i++) {
            initially.add(local.seedPending());
        }
        ConcurrentLinkedQueue<UUID> decidable = new ConcurrentLinkedQueue<>(initially.subList(0, INITIALLY_PENDING / 2));
        AtomicBoolean listing = new AtomicBoolean(true);
        AtomicInteger proposed = new AtomicInteger();
        AtomicInteger decided = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                // Bounded: stops when the reader is done, or after 400 rounds.
                for (int round = 0; round < 400 && listing.get(); round++) {
                    Answer created = Answer.invoke(local.propose,
                            ApiEvents.propose(ApiEvents.refund(writer * 1000 + round), null).bytes());
                    assertThat(created.status()).as(created.raw()).isEqualTo(201);
                    proposed.incrementAndGet();
                    UUID id = decidable.poll();
                    if (id == null) {
                        id = UUID.fromString((String) created.body().get("id"));
                    }
                    Decision decision = ThreadLocalRandom.current().nextBoolean() ? Decision.APPROVE : Decision.REJECT;
                    Answer answer = Answer.invoke(local.handler(decision),
                            Shape.HTTP_API.event(decision, id, 1, "w" + writer + "-" + round).bytes());
                    assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
                    decided.incrementAndGet();
                }
                return null;
            }));
        }

        Map<String, Integer> seen = new HashMap<>();
        int pages = 0;
        String cursor = null;
        try {
            do {
                Answer page = Answer.invoke(local.read, ApiEvents.list("status=pending&limit=" + PAGE
                        + (cursor == null ? "" : "&cursor=" + cursor)).bytes());
                assertThat(page.status()).as(page.raw()).isEqualTo(200);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> items = (List<Map<String, Object>>) page.body().get("items");
                assertThat(items).hasSizeLessThanOrEqualTo(PAGE);
                items.forEach(item -> seen.merge((String) item.get("id"), 1, Integer::sum));
                cursor = (String) page.body().get("nextCursor");
                pages++;
            } while (cursor != null);
        } finally {
            listing.set(false);
        }
        for (Future<?> writer : writers) {
            writer.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Set<UUID> pendingAtTheEnd = new HashSet<>();
        local.query("SELECT id FROM ai_approvals WHERE status = 'pending'")
                .forEach(row -> pendingAtTheEnd.add((UUID) row.get("id")));
        List<UUID> pendingThroughout = initially.stream().filter(pendingAtTheEnd::contains).toList();
        long listedTwice = seen.values().stream().filter(n -> n > 1).count();
        long throughoutListedOnce = pendingThroughout.stream().filter(id -> seen.getOrDefault(id.toString(), 0) == 1).count();
        System.out.printf("pagination under load: %d writers proposed %d and decided %d while 1 reader read %d pages "
                        + "of status=pending, limit=%d: %d approvals listed, %d pending throughout of which %d listed "
                        + "exactly once, %d listed more than once%n",
                WRITERS, proposed.get(), decided.get(), pages, PAGE, seen.size(), pendingThroughout.size(),
                throughoutListedOnce, listedTwice);

        assertThat(decided.get()).as("the writers decided while the reader listed").isPositive();
        assertThat(pendingThroughout).hasSizeGreaterThanOrEqualTo(INITIALLY_PENDING / 2);
        assertThat(listedTwice).isZero();
        assertThat(throughoutListedOnce).isEqualTo(pendingThroughout.size());
    }
}
