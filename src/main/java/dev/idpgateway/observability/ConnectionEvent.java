package dev.idpgateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of connection refusal, eviction or timeout: counted in a meter, and logged once per
 * {@link #WARN_EVERY} occurrences, so that a flood of connections does not flood the log too.
 */
public final class ConnectionEvent {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionEvent.class);
    static final long WARN_EVERY = 1_000;

    private final Counter counter;
    private final AtomicLong occurrences = new AtomicLong();
    private final String warning;

    /** {@code warning} is an SLF4J pattern with two slots: the detail of the occurrence logged, and the count so far. */
    private ConnectionEvent(Counter counter, String warning) {
        this.counter = counter;
        this.warning = warning;
    }

    public static ConnectionEvent register(MeterRegistry registry, String name, String reason, String description,
                                    String warning) {
        Counter.Builder counter = Counter.builder(name).description(description);
        if (reason != null) {
            counter.tag("reason", reason);
        }
        return new ConnectionEvent(counter.register(registry), warning);
    }

    public void record(Object detail) {
        counter.increment();
        long soFar = occurrences.incrementAndGet();
        if (soFar % WARN_EVERY == 1) {
            LOG.warn(warning, detail, soFar);
        }
    }
}
