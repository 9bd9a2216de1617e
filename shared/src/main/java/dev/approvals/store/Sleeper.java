package dev.approvals.store;

import java.time.Duration;

/** Waits between retries; a seam so tests need not sleep. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD = duration -> {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry", e);
        }
    };

    void sleep(Duration duration);
}
