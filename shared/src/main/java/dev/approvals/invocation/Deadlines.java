package dev.approvals.invocation;

import com.amazonaws.services.lambda.runtime.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long an invocation may spend on the database: the whole Data API call, SDK retries and the resume wait
 * included (the store sets the SDK's {@code apiCallTimeout} to what is left of it). What follows it is kept back
 * from the function's remaining time: the workflow callback (its client's own 5 s {@code apiCallTimeout}) and the
 * answer. So a committed decision is answered before Lambda's timeout; if an answer is lost anyway, a retry with
 * the same Idempotency-Key replays it (docs/security.md).
 */
final class Deadlines {

    /** Longest we wait for the database (Aurora resumes in 10-30 s), leaving room under the HTTP API's 30 s. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(18);
    /** Time kept back from the Lambda timeout to write the answer. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(2);
    /** Time kept back for the workflow callback after a win: the Step Functions client's whole-call timeout. */
    static final Duration CALLBACK_BUDGET = Duration.ofSeconds(5);

    private Deadlines() {
    }

    static Instant of(Context context, Clock clock) {
        Duration remaining = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(ANSWER_MARGIN)
                .minus(CALLBACK_BUDGET);
        Duration wait = remaining.compareTo(MAX_WAIT) < 0 ? remaining : MAX_WAIT;
        return clock.instant().plus(wait.isNegative() ? Duration.ZERO : wait);
    }
}
