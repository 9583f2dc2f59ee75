package dev.idpgateway.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/** {@code idp.http.connections}: the API connections open now, read from the connection table's count at each scrape. */
public final class OpenConnectionsGauge {
    private OpenConnectionsGauge() {
    }

    /** The gauge reads {@code open} for as long as its owner (the connection table) is in use. */
    public static void register(MeterRegistry registry, AtomicInteger open) {
        Gauge.builder("idp.http.connections", open, AtomicInteger::get)
                .description("API connections open now").register(registry);
    }
}
