package dev.idpgateway.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Sends commands to Redis, each bounded by the command timeout: no caller ever waits longer. */
final class RedisCommands {
    private final Redis redis;
    private final long timeoutMillis;

    RedisCommands(Redis redis, Duration timeout) {
        this.redis = redis;
        this.timeoutMillis = timeout.toMillis();
    }

    Future<Response> send(Request request) {
        return redis.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    Future<Void> close() {
        return redis.close();
    }
}
