package dev.idpgateway.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The tests' one way to wait for a condition: ask it again until it holds or a deadline passes, with a
 * message that says what was awaited. No fixed sleeps: the condition, not a pause, is what is waited for.
 * {@link #await} blocks a test thread; {@link #until} is the same on a Vert.x timer, for fixtures that
 * run on an event loop.
 */
public final class Polling {
    private static final long INTERVAL_MILLIS = 20;

    private Polling() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                // Yields the core between polls.
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Succeeds once {@code check} yields true; a failed check counts as false. Fails after {@code timeout}. */
    public static Future<Void> until(Vertx vertx, String what, Duration timeout, Supplier<Future<Boolean>> check) {
        return poll(vertx, what, System.nanoTime() + timeout.toNanos(), timeout, check);
    }

    private static Future<Void> poll(Vertx vertx, String what, long deadline, Duration timeout,
                                     Supplier<Future<Boolean>> check) {
        return check.get().otherwise(false).compose(done -> {
            if (done) {
                return Future.succeededFuture();
            }
            if (System.nanoTime() > deadline) {
                return Future.failedFuture(new IllegalStateException(what + ": not reached within " + timeout));
            }
            return vertx.timer(INTERVAL_MILLIS).compose(fired -> poll(vertx, what, deadline, timeout, check));
        });
    }
}
