package dev.approvals.invocation;

import com.amazonaws.services.lambda.runtime.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** How long an invocation may wait for the database. */
final class Deadlines {

    /** Longest we wait for the database (Aurora resumes in 10-30 s), leaving room under the HTTP API's 30 s. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(20);
    /** Time kept back from the Lambda timeout to write the answer. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(2);

    private Deadlines() {
    }

    static Instant of(Context context, Clock clock) {
        Duration remaining = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(ANSWER_MARGIN);
        Duration wait = remaining.compareTo(MAX_WAIT) < 0 ? remaining : MAX_WAIT;
        return clock.instant().plus(wait.isNegative() ? Duration.ZERO : wait);
    }
}
