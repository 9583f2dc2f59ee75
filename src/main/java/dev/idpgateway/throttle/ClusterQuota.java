package dev.idpgateway.throttle;

import dev.idpgateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps cluster-scoped limits true for all replicas together. On a Vert.x timer this replica renews
 * its heartbeat in the {@link ReplicaRegistry} and hands the live count to the limiters, which split
 * each cluster-wide limit among the replicas; requests never wait for it. A share is never raised
 * on a guess: when the registry cannot be reached the last count stays, and a lower count is believed
 * only once it has held for the heartbeat expiry ({@link ReplicaCount}). Without any cluster-scoped
 * limit it does nothing at all.
 */
public final class ClusterQuota {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterQuota.class);

    private final Vertx vertx;
    private final boolean needed;
    private final long intervalMillis;
    private final PoolRateLimiters limiters;
    private final ReplicaRegistry registry;
    // Guarded by this: a beat runs on an event loop, stop() on any thread.
    private final ReplicaCount replicaCount;
    private boolean stopped;
    private long timerId = -1;
    private Future<Void> lastBeat = Future.succeededFuture();
    private boolean registryFailing;

    public ClusterQuota(Vertx vertx, GatewayConfig.RateLimits limits, PoolRateLimiters limiters,
                        ReplicaRegistry registry) {
        this.vertx = vertx;
        this.needed = limits.anyClusterScope();
        this.intervalMillis = limits.heartbeat().interval().toMillis();
        this.limiters = limiters;
        this.registry = registry;
        this.replicaCount = new ReplicaCount(limits.heartbeat().expiry());
    }

    /**
     * Counts the replicas once, so that the first requests already get their share, then keeps
     * counting. Never fails: a Redis that is not there yet leaves this replica counting itself alone
     * until it answers.
     */
    public synchronized Future<Void> start() {
        if (!needed) {
            return Future.succeededFuture();
        }
        return beat().onComplete(done -> scheduleNextBeat());
    }

    /** Stops counting and leaves the registry, so that the other replicas take over this one's share without waiting for its entry to expire. */
    public Future<Void> stop() {
        if (!needed) {
            return Future.succeededFuture();
        }
        // After the beat in flight, which would otherwise renew this replica after it left.
        return stopBeating().compose(done -> registry.leave())
                .onFailure(e -> LOG.warn("could not leave the replica registry; the other replicas count this one "
                        + "until its heartbeat expires: {}", e.getMessage()));
    }

    private synchronized Future<Void> stopBeating() {
        stopped = true;
        vertx.cancelTimer(timerId);
        return lastBeat;
    }

    private synchronized void scheduleNextBeat() {
        if (!stopped) {
            timerId = vertx.setTimer(intervalMillis, id -> beatUnlessStopped());
        }
    }

    private synchronized void beatUnlessStopped() {
        if (!stopped) {
            beat().onComplete(done -> scheduleNextBeat());
        }
    }

    /** One heartbeat; it never fails, a registry that does not answer only keeps the last count. */
    private synchronized Future<Void> beat() {
        lastBeat = registry.heartbeat()
                .<Void>map(count -> {
                    counted(count);
                    return null;
                })
                .recover(failure -> {
                    keepLastCount(failure);
                    return Future.succeededFuture();
                });
        return lastBeat;
    }

    private synchronized void counted(int live) {
        if (registryFailing) {
            registryFailing = false;
            LOG.info("replica registry answers again");
        }
        int count = replicaCount.heard(live, System.nanoTime());
        if (count != limiters.replicas()) {
            LOG.info("live gateway replicas: {} (each cluster-scoped limit is split evenly among them)", count);
        }
        limiters.replicasCounted(count);
    }

    /** Silence is heard as the last count again, so that it cannot lower the count once the registry answers. */
    private synchronized void keepLastCount(Throwable failure) {
        replicaCount.heard(limiters.replicas(), System.nanoTime());
        if (!registryFailing) {
            registryFailing = true;
            LOG.warn("replica heartbeat failed, keeping the last count of {} replicas (shares stay as they are): {}",
                    limiters.replicas(), failure.getMessage());
        }
    }
}
