package dev.idpgateway.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends commands to Redis, each bounded by the command timeout: no caller ever waits longer. A failure
 * whose message quotes a connection string (the client's own connection errors do) leaves with the
 * credentials hidden ({@link RedisUrls#masked}).
 */
public final class RedisCommands {
    private final Redis redis;
    private final Function<Request, Future<Response>> sender;
    private final long timeoutMillis;

    public RedisCommands(Redis redis, Duration timeout) {
        this(redis, redis::send, timeout.toMillis());
    }

    private RedisCommands(Redis redis, Function<Request, Future<Response>> sender, long timeoutMillis) {
        this.redis = redis;
        this.sender = sender;
        this.timeoutMillis = timeoutMillis;
    }

    public Future<Response> send(Request request) {
        return masked(sender.apply(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS));
    }

    /**
     * Runs {@code work} with commands that all travel on one connection of their own, for what is
     * bound to a connection (WAIT counts the replicas that have that connection's writes).
     */
    public <T> Future<T> onOneConnection(Function<RedisCommands, Future<T>> work) {
        return masked(redis.connect().timeout(timeoutMillis, TimeUnit.MILLISECONDS)).compose(connection ->
                work.apply(new RedisCommands(redis, connection::send, timeoutMillis))
                        .andThen(done -> connection.close()));
    }

    private static <T> Future<T> masked(Future<T> result) {
        return result.recover(failure -> Future.failedFuture(RedisUrls.masked(failure)));
    }

    public Future<Void> close() {
        return redis.close();
    }
}
