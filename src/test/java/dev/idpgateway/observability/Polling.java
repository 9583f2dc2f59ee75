package dev.idpgateway.observability;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by asking it again and again until a deadline: no fixed sleeps. */
public final class Polling {
    private Polling() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                // Yields the core between polls; the condition, not this pause, is what the test waits for.
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
