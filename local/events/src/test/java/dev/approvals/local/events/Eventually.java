package dev.approvals.local.events;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something asynchronous (a delivery, a schedule) to happen; a bound on waiting, not a timed assertion. */
final class Eventually {

    private Eventually() {
    }

    static void until(Duration atMost, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Did not happen within " + atMost);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted");
            }
        }
    }
}
