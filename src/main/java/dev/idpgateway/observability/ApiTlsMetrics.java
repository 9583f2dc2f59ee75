package dev.idpgateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.security.cert.X509Certificate;
import java.util.function.Function;

/**
 * The API certificate's meters: {@code idp.http.tls.certificate.expiry} (when the served certificate expires:
 * alert on it) and {@code idp.http.tls.reload.failures} (changed files that could not be used).
 */
public final class ApiTlsMetrics {
    private final MeterRegistry registry;
    private final Counter reloadFailures;

    public ApiTlsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reloadFailures = Counter.builder("idp.http.tls.reload.failures")
                .description("Changed API certificate files that could not be used (the certificate in force stays)")
                .register(registry);
    }

    /** Registers the expiry gauge, read from {@code source} at each scrape for as long as {@code source} is in use. */
    public <T> void watchExpiry(T source, Function<T, X509Certificate> served) {
        Gauge.builder("idp.http.tls.certificate.expiry", source, current -> served.apply(current).getNotAfter().getTime() / 1000.0)
                .description("When the served API certificate expires, in seconds since the epoch")
                .baseUnit("seconds")
                .register(registry);
    }

    public void reloadFailed() {
        reloadFailures.increment();
    }
}
