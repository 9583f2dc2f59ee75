package dev.idpgateway.dev;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition that Redis reports (cluster formed, failover done) by asking again on a timer. */
final class Polling {
    private static final long INTERVAL_MILLIS = 50;

    private Polling() {
    }

    /** Succeeds once {@code check} yields true; a failed check counts as false. Fails after {@code timeout}. */
    static Future<Void> until(Vertx vertx, String what, Duration timeout, Supplier<Future<Boolean>> check) {
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
