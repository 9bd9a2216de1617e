package dev.approvals.wiring;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The executor the SDK schedules every call's timeout on ({@link CallTimers}). */
class CallTimersTest {

    @Test
    void oneExecutor_forEveryClient() {
        assertThat(CallTimers.executor()).isSameAs(CallTimers.executor());
    }

    @Test
    void aCancelledTimer_leavesTheQueue_andTheHeartbeatStaysAheadOfEveryCallsTimer() {
        var executor = (ScheduledThreadPoolExecutor) CallTimers.executor();
        int before = executor.getQueue().size();

        ScheduledFuture<?> timer = executor.schedule(() -> { }, 18, TimeUnit.SECONDS);
        int queued = executor.getQueue().size();
        long heartbeatDelay = ((ScheduledFuture<?>) executor.getQueue().peek()).getDelay(TimeUnit.MILLISECONDS);
        timer.cancel(false);

        assertThat(queued).isEqualTo(before + 1);
        assertThat(heartbeatDelay).isBetween(0L, 1_000L);
        assertThat(executor.getQueue()).hasSize(before);
        assertThat(executor.getRemoveOnCancelPolicy()).isTrue();
    }

    @Test
    void aDueTimer_firesOnADaemonThread() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        boolean[] daemon = new boolean[1];
        CallTimers.executor().schedule(() -> {
            daemon[0] = Thread.currentThread().isDaemon();
            fired.countDown();
        }, 50, TimeUnit.MILLISECONDS);

        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon[0]).isTrue();
    }
}
