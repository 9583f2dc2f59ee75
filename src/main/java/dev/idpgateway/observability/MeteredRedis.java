package dev.idpgateway.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every command sent through the client, by command and outcome ({@code success} or
 * {@code error}: an error reply, a lost connection, no connection). The command names come from the
 * code, never from callers, so the series stay few. Tracing needs nothing here: the Vert.x Redis
 * client reports a span per command itself. Connections taken with {@link #connect()} are not timed.
 */
public final class MeteredRedis implements Redis {
    private static final Duration[] LATENCY_BUCKETS =
            RequestMetrics.buckets(0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000);
    private static final String BATCH = "BATCH";

    private final Redis redis;
    private final MeterRegistry registry;
    /** Per command name: [0] success, [1] error. */
    private final ConcurrentMap<String, Timer[]> timers = new ConcurrentHashMap<>();

    public MeteredRedis(Redis redis, MeterRegistry registry) {
        this.redis = redis;
        this.registry = registry;
    }

    @Override
    public Future<Response> send(Request request) {
        long start = System.nanoTime();
        return redis.send(request).andThen(result -> record(request.command().toString(), result, start));
    }

    @Override
    public Future<List<Response>> batch(List<Request> requests) {
        long start = System.nanoTime();
        return redis.batch(requests).andThen(result -> record(BATCH, result, start));
    }

    @Override
    public Future<RedisConnection> connect() {
        return redis.connect();
    }

    @Override
    public Future<Void> close() {
        return redis.close();
    }

    private void record(String command, AsyncResult<?> result, long start) {
        Timer[] byOutcome = timers.computeIfAbsent(command, this::register);
        byOutcome[result.succeeded() ? 0 : 1].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private Timer[] register(String command) {
        return new Timer[]{timer(command, "success"), timer(command, "error")};
    }

    private Timer timer(String command, String outcome) {
        return Timer.builder("idp.redis.commands")
                .description("Redis commands by command and outcome, from send to reply")
                .tags("command", command, "outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }
}
