package dev.idpgateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the API connections open at once, across all request handlers: each open connection holds
 * heap, so without a cap a flood of connections (or a client whose pool grows without bound) ends
 * in an out-of-memory crash instead of refused connections. A connection over the cap is closed as
 * soon as it is accepted; clients see a reset and retry, and the replica keeps serving the others.
 */
final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    /** One warning per this many refused connections, so that a flood does not flood the log too. */
    private static final long WARN_EVERY = 1_000;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter refused;

    ConnectionLimit(int max, MeterRegistry registry) {
        this.max = max;
        Gauge.builder("idp.http.connections", open, AtomicInteger::get)
                .description("API connections open now").register(registry);
        this.refused = Counter.builder("idp.http.connections.refused")
                .description("API connections closed on arrival because http.maxConnections were open")
                .register(registry);
    }

    /** A connection was accepted: {@code true} if it may stay (then call {@link #closed()} when it closes). */
    boolean tryOpen() {
        if (open.incrementAndGet() <= max) {
            return true;
        }
        open.decrementAndGet();
        refused.increment();
        long refusedSoFar = (long) refused.count();
        if (refusedSoFar % WARN_EVERY == 1) {
            LOG.warn("refusing connections: http.maxConnections ({}) are open; {} refused so far", max, refusedSoFar);
        }
        return false;
    }

    void closed() {
        open.decrementAndGet();
    }
}
