package dev.idpgateway.observability;

import dev.idpgateway.redis.RedisProbe;
import dev.idpgateway.store.RetryListener;
import dev.idpgateway.store.RetryingUserStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How the gateway rides through Redis faults: {@code idp.redis.retries{reason}}, {@code idp.redis.wait{outcome}}
 * (how long requests that met a fault waited for Redis, served or not), and the gauges
 * {@code idp.redis.unreachable} (1 while the probe finds Redis unreachable: alert on it) and
 * {@code idp.redis.waiting} (requests retrying or waiting now, against redis.retry.maxWaiting).
 */
public final class RedisRetryMetrics implements RetryListener {
    private final MeterRegistry registry;
    /** One counter per reason; the reasons are a handful of fixed words. */
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Timer served;
    private final Timer failed;

    public RedisRetryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.served = waitTimer("served");
        this.failed = waitTimer("failed");
    }

    private Timer waitTimer(String outcome) {
        return Timer.builder("idp.redis.wait")
                .description("Requests that met a Redis fault: how long they retried and waited for Redis")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    /** The gauges of the probe and of the waiting requests. */
    public void watch(RedisProbe probe, RetryingUserStore store) {
        Gauge.builder("idp.redis.unreachable", probe, watched -> watched.reachable() ? 0 : 1)
                .description("1 while Redis does not answer and requests wait for it (up to redis.retry.budget)")
                .register(registry);
        Gauge.builder("idp.redis.waiting", store, RetryingUserStore::waiting)
                .description("Requests retrying or waiting for Redis now (at most redis.retry.maxWaiting)")
                .register(registry);
    }

    @Override
    public void retried(String reason) {
        retries.computeIfAbsent(reason, named -> Counter.builder("idp.redis.retries")
                .description("Redis operations tried again after a fault that may pass, by the fault")
                .tag("reason", named)
                .register(registry)).increment();
    }

    @Override
    public void waited(long nanos, boolean servedInTheEnd) {
        (servedInTheEnd ? served : failed).record(nanos, TimeUnit.NANOSECONDS);
    }
}
