package dev.idpgateway.observability;

import dev.idpgateway.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The API's meters, registered up front so that a request only looks them up: latency (and so the
 * count) per operation and outcome, and throttle rejections per operation and pool. Every label
 * comes from a bounded set: operation names the gateway serves (anything else is {@value #UNKNOWN}),
 * outcomes from {@link ErrorCode}, and pools named in the rate limit configuration (any other pool
 * is {@value #OTHER_POOL}), so callers cannot grow the number of series.
 */
final class RequestMetrics {
    static final String UNKNOWN = "Unknown";
    static final String SUCCESS = "Success";
    static final String OTHER_POOL = "other";
    private static final Duration[] LATENCY_BUCKETS = buckets(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000);

    /** Per operation: [0] success, [1 + ordinal] each error. */
    private final Map<String, Timer[]> latency = new HashMap<>();
    private final Map<String, Map<String, Counter>> throttled = new HashMap<>();

    RequestMetrics(MeterRegistry registry, Collection<String> operations, Set<String> configuredPools) {
        for (String operation : operations) {
            register(registry, operation, configuredPools);
        }
        register(registry, UNKNOWN, Set.of());
    }

    void recordLatency(String operation, ErrorCode error, long nanos) {
        Timer[] timers = latency.getOrDefault(operation, latency.get(UNKNOWN));
        timers[error == null ? 0 : 1 + error.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    void recordThrottled(String operation, String poolId) {
        Map<String, Counter> pools = throttled.getOrDefault(operation, throttled.get(UNKNOWN));
        Counter counter = pools.get(poolId);
        (counter != null ? counter : pools.get(OTHER_POOL)).increment();
    }

    private void register(MeterRegistry registry, String operation, Set<String> pools) {
        ErrorCode[] errors = ErrorCode.values();
        Timer[] timers = new Timer[1 + errors.length];
        timers[0] = timer(registry, operation, SUCCESS);
        for (ErrorCode error : errors) {
            timers[1 + error.ordinal()] = timer(registry, operation, error.type());
        }
        latency.put(operation, timers);

        Map<String, Counter> counters = new HashMap<>();
        for (String pool : pools) {
            counters.put(pool, throttledCounter(registry, operation, pool));
        }
        counters.put(OTHER_POOL, throttledCounter(registry, operation, OTHER_POOL));
        throttled.put(operation, counters);
    }

    private static Timer timer(MeterRegistry registry, String operation, String outcome) {
        return Timer.builder("idp.requests")
                .description("API requests by operation and outcome (Success or the AWS error code), from receipt to response")
                .tags("operation", operation, "outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private static Counter throttledCounter(MeterRegistry registry, String operation, String pool) {
        return Counter.builder("idp.throttled.requests")
                .description("Requests refused with TooManyRequestsException by this replica's rate limiter")
                .tags("operation", operation, "pool", pool)
                .register(registry);
    }

    static Duration[] buckets(double... millis) {
        Duration[] buckets = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            buckets[i] = Duration.ofNanos((long) (millis[i] * 1_000_000));
        }
        return buckets;
    }
}
