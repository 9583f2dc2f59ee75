package dev.idpgateway.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether Redis answers. A request that could not reach Redis (refused, closed, timed out) marks it
 * unreachable; from then on a PING every probe interval, on a connection of its own and bounded by the
 * command timeout, finds the moment Redis answers again, and every request waiting for that moment
 * resumes at once instead of waiting out a fixed interval. One log line when Redis becomes unreachable
 * and one when it is back, with the outage's length.
 */
public final class RedisProbe {
    private static final Logger LOG = LoggerFactory.getLogger(RedisProbe.class);
    private static final Request PING = Request.cmd(Command.PING);

    private final Vertx vertx;
    private final Redis redis;
    private final long intervalMillis;
    private final long timeoutMillis;
    /** The ACL user, named when a failure is described. */
    private final String redisUser;
    /** Why Redis was last found unreachable, in words: readiness reports it while the probe runs. */
    private volatile String lastFailure = "";
    /** Guarded by {@code this}, as are the fields after it; {@link #reachable} is read without the lock. */
    private final List<Promise<Void>> waiting = new ArrayList<>();
    private volatile boolean reachable = true;
    private long unreachableSinceNanos;
    private boolean closed;

    public RedisProbe(Vertx vertx, Redis redis, Duration interval, Duration commandTimeout, String redisUser) {
        this.vertx = vertx;
        this.redis = redis;
        this.intervalMillis = interval.toMillis();
        this.timeoutMillis = commandTimeout.toMillis();
        this.redisUser = redisUser;
    }

    public boolean reachable() {
        return reachable;
    }

    /** Why Redis is unreachable (the probe's latest failure), in words and without credentials. */
    public String lastFailure() {
        return lastFailure;
    }

    /** How long Redis has been unreachable; zero while it answers. */
    public synchronized Duration outage() {
        return reachable ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - unreachableSinceNanos);
    }

    /** A call could not reach Redis: requests wait for the probe from now on. */
    public void unreachable(Throwable cause) {
        synchronized (this) {
            if (!reachable || closed) {
                return;
            }
            reachable = false;
            unreachableSinceNanos = System.nanoTime();
        }
        lastFailure = RedisFailure.describe(cause, redisUser);
        LOG.warn("redis unreachable ({}); requests wait for it, probing every {} ms", cause.toString(), intervalMillis);
        schedulePing();
    }

    /**
     * Completes on the caller's context when Redis answers again, or fails when {@code deadlineNanos}
     * ({@link System#nanoTime()}) passes first. The caller bounds how many wait.
     */
    public Future<Void> awaitReachable(long deadlineNanos) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        Promise<Void> promise = context.promise();
        synchronized (this) {
            if (reachable) {
                return Future.succeededFuture();
            }
            waiting.add(promise);
        }
        long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        long timer = context.setTimer(delayMillis, expired -> {
            synchronized (this) {
                waiting.remove(promise);
            }
            promise.tryFail(new StoreUnavailableException("Redis unreachable for the whole retry budget"));
        });
        return promise.future().andThen(done -> context.owner().cancelTimer(timer));
    }

    private void schedulePing() {
        vertx.setTimer(intervalMillis, tick -> ping());
    }

    private void ping() {
        Future<RedisConnection> connecting = redis.connect();
        connecting.timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .compose(connection -> connection.send(PING).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                        .eventually(connection::close))
                .onComplete(answered -> answered(), failed -> {
                    // A connection established after its timeout is not leaked.
                    connecting.onSuccess(RedisConnection::close);
                    // A wrong password or an untrusted certificate shows here, not as a request's failure.
                    lastFailure = RedisFailure.describe(failed, redisUser);
                    if (!isClosed()) {
                        schedulePing();
                    }
                });
    }

    private void answered() {
        List<Promise<Void>> resumed;
        long outageNanos;
        synchronized (this) {
            reachable = true;
            outageNanos = System.nanoTime() - unreachableSinceNanos;
            resumed = new ArrayList<>(waiting);
            waiting.clear();
        }
        LOG.info("redis reachable again after {} ms; {} waiting requests resume", TimeUnit.NANOSECONDS.toMillis(outageNanos),
                resumed.size());
        resumed.forEach(Promise::tryComplete);
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Stops probing; waiting requests run out their budget. */
    public synchronized void close() {
        closed = true;
    }
}
