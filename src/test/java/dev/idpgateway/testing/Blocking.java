package dev.idpgateway.testing;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The tests' one blocking wait for a future, from a test thread, never an event loop. It serves the
 * steps around blocking calls: seeding Redis before an AWS SDK call and reading it after one, and
 * starting and stopping fixtures (servers, clusters, proxies). Those steps sit between two blocking
 * calls on the test thread, so a chain of futures would buy nothing there. A test that drives
 * asynchronous code itself (the store, the Redis clients, a Vert.x client against the gateway) runs
 * on the Vert.x JUnit extension ({@code VertxExtension}, {@code VertxTestContext}) instead.
 */
public final class Blocking {
    /** Far above any step's normal time: only a hung step reaches it. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Blocking() {
    }

    /**
     * The future's result; an IllegalStateException (with the failure as its cause) when it fails or
     * does not complete within {@link #TIMEOUT}, so that a poller can count a failed step as "not yet".
     */
    public static <T> T await(Future<T> future) {
        try {
            return future.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("did not complete within " + TIMEOUT, e);
        } catch (Exception e) {
            throw new IllegalStateException("failed: " + e, e);
        }
    }
}
