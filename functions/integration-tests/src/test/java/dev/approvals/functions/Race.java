package dev.approvals.functions;

import dev.approvals.core.Decision;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Deciders released at the same instant on one approval, alternately approving and rejecting, each with its own
 * idempotency key and the same expected version: the contention the optimistic lock exists for.
 */
final class Race {

    /** One decider's request and the answer it got. */
    record Attempt(Decision decision, Answer answer) {
    }

    private Race() {
    }

    static List<Attempt> run(LocalApprovals local, ExecutorService pool, UUID id, int deciders) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Decision> asked = new ArrayList<>();
        List<Future<Answer>> answers = new ArrayList<>();
        for (int d = 0; d < deciders; d++) {
            Decision decision = d % 2 == 0 ? Decision.APPROVE : Decision.REJECT;
            byte[] event = Shape.HTTP_API.event(decision, id, 1, "decider-" + d + "-" + id).bytes();
            asked.add(decision);
            answers.add(pool.submit(() -> {
                start.await();
                return Answer.invoke(local.handler(decision), event);
            }));
        }
        start.countDown();
        List<Attempt> attempts = new ArrayList<>();
        for (int d = 0; d < deciders; d++) {
            attempts.add(new Attempt(asked.get(d), answers.get(d).get(30, TimeUnit.SECONDS)));
        }
        return attempts;
    }
}
