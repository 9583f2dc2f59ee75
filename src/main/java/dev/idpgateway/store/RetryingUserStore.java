package dev.idpgateway.store;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.redis.RedisFault;
import dev.idpgateway.redis.RedisProbe;
import dev.idpgateway.redis.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Rides through Redis faults that pass (a restart, a failover, a replica acknowledgement that came
 * late): a failed operation is run again, whole (resolution included, so that the scripts' re-checks
 * hold), with jittered backoff, until it succeeds or the request's retry budget is spent. Every
 * operation may be repeated (see {@link UserStore#updateUser}); a repeated change may append its audit
 * event twice, both with the same request id.
 *
 * <p>While the {@link RedisProbe} finds Redis unreachable, requests do not call it: they wait for the
 * probe's first answer, within their budget. At most {@code maxWaiting} requests retry or wait at once;
 * more fail at once, so that a long outage cannot pile up memory. A request that meets no fault costs
 * one callback more than the store it decorates.
 */
public final class RetryingUserStore implements UserStore {
    static final long FIRST_BACKOFF_MILLIS = 10;
    static final long MAX_BACKOFF_MILLIS = 200;

    private final Vertx vertx;
    private final UserStore store;
    private final RedisProbe probe;
    private final RetryListener listener;
    private final long budgetNanos;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    /** When the last readiness check reached Redis ({@link System#nanoTime()}); 0: never. */
    private volatile long readyAtNanos;

    public RetryingUserStore(Vertx vertx, UserStore store, RedisProbe probe, GatewayConfig.Retry config,
                             RetryListener listener) {
        this.vertx = vertx;
        this.store = store;
        this.probe = probe;
        this.listener = listener;
        this.budgetNanos = config.budget().toNanos();
        this.maxWaiting = config.maxWaiting();
    }

    @Override
    public Future<UserChange> updateUser(String poolId, String username, UserUpdate update, AuditContext audit) {
        return retried(() -> store.updateUser(poolId, username, update, audit));
    }

    @Override
    public Future<StoredUser> getUser(String poolId, String username) {
        return retried(() -> store.getUser(poolId, username));
    }

    /** How many requests retry or wait for Redis now. */
    public int waiting() {
        return waiting.get();
    }

    /**
     * Ready while Redis answers and for one retry budget after it stopped: a fault that requests ride
     * through does not take the replica out of the load balancer. Never ready before Redis answered once.
     */
    @Override
    public Future<Void> checkReady() {
        if (!probe.reachable()) {
            return readyWithin(probe.outage().toNanos(), new StoreUnavailableException("Redis unreachable: " + probe.lastFailure()));
        }
        return store.checkReady().transform(outcome -> {
            if (outcome.succeeded()) {
                readyAtNanos = System.nanoTime();
                return Future.succeededFuture();
            }
            RedisFault fault = RedisFault.of(outcome.cause());
            if (fault == null) {
                return Future.failedFuture(outcome.cause());
            }
            if (fault.unreachable()) {
                probe.unreachable(outcome.cause());
            }
            return readyWithin(System.nanoTime() - readyAtNanos, outcome.cause());
        });
    }

    private Future<Void> readyWithin(long faultNanos, Throwable cause) {
        return readyAtNanos != 0 && faultNanos <= budgetNanos ? Future.succeededFuture() : Future.failedFuture(cause);
    }

    @Override
    public Future<Void> close() {
        probe.close();
        return store.close();
    }

    private <T> Future<T> retried(Supplier<Future<T>> operation) {
        long startedNanos = System.nanoTime();
        if (!probe.reachable()) {
            return new Retry<>(operation, startedNanos).waitForRedis(new StoreUnavailableException("Redis unreachable"));
        }
        return operation.get().recover(failure -> budgetNanos > 0 && RedisFault.of(failure) != null
                ? new Retry<>(operation, startedNanos).afterFailure(failure)
                : Future.failedFuture(failure));
    }

    /** The retries of one request, from its first fault to its outcome. */
    private final class Retry<T> {
        private final Supplier<Future<T>> operation;
        private final long startedNanos;
        private final long deadlineNanos;
        private final Promise<T> outcome = Promise.promise();
        private long backoffMillis = FIRST_BACKOFF_MILLIS;

        Retry(Supplier<Future<T>> operation, long startedNanos) {
            this.operation = operation;
            this.startedNanos = startedNanos;
            this.deadlineNanos = startedNanos + budgetNanos;
        }

        Future<T> afterFailure(Throwable failure) {
            if (!enter()) {
                return Future.failedFuture(failure);
            }
            failed(failure);
            return outcome.future();
        }

        Future<T> waitForRedis(Throwable unreachable) {
            if (!enter()) {
                return Future.failedFuture(new StoreUnavailableException("Redis unreachable and "
                        + maxWaiting + " requests waiting for it already"));
            }
            awaitRedis(unreachable);
            return outcome.future();
        }

        private boolean enter() {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                return false;
            }
            return true;
        }

        private void attempt() {
            operation.get().onComplete(this::succeeded, this::failed);
        }

        private void failed(Throwable failure) {
            RedisFault fault = RedisFault.of(failure);
            if (fault != null && fault.unreachable()) {
                probe.unreachable(failure);
            }
            long remainingNanos = deadlineNanos - System.nanoTime();
            if (fault == null || remainingNanos <= 0) {
                finish(failure);
                return;
            }
            listener.retried(fault.reason());
            // Full jitter over the upper half, so that the requests of one fault do not return in step.
            long delayMillis = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
            vertx.setTimer(Math.max(1, Math.min(delayMillis, TimeUnit.NANOSECONDS.toMillis(remainingNanos))),
                    timer -> awaitRedis(failure));
        }

        private void awaitRedis(Throwable lastFailure) {
            if (probe.reachable()) {
                attempt();
                return;
            }
            probe.awaitReachable(deadlineNanos).onComplete(back -> attempt(), expired -> finish(lastFailure));
        }

        private void succeeded(T result) {
            leave(true);
            outcome.complete(result);
        }

        private void finish(Throwable failure) {
            leave(false);
            outcome.fail(failure);
        }

        private void leave(boolean served) {
            waiting.decrementAndGet();
            listener.waited(System.nanoTime() - startedNanos, served);
        }
    }
}
