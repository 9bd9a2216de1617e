package dev.approvals.wiring;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The executor on which the SDK schedules each call's {@code apiCallTimeout} (the time budget, docs/security.md),
 * given to every client instead of the SDK's default: one daemon thread, and a timer cancelled when its call ends is
 * taken off the queue at once, and a heartbeat ahead of every timer so that queuing one wakes no thread. The SDK's
 * default (five threads per client, cancelled timers left queued until they would have fired, 18 s later) wakes a
 * thread for every call, to discard its timer (docs/performance.md, "The SDK's part").
 */
final class CallTimers implements ThreadFactory, Runnable {

    private static final ScheduledExecutorService EXECUTOR = create();

    private CallTimers() {
    }

    static ScheduledExecutorService executor() {
        return EXECUTOR;
    }

    private static ScheduledExecutorService create() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, new CallTimers());
        executor.setRemoveOnCancelPolicy(true);
        executor.scheduleWithFixedDelay(new CallTimers(), 1, 1, TimeUnit.SECONDS);
        return executor;
    }

    /** The heartbeat: always queued ahead of any call's timer, so that queuing a timer wakes no thread. */
    @Override
    public void run() {
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, "approvals-call-timers");
        thread.setDaemon(true);
        return thread;
    }
}
