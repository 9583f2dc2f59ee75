package dev.idpgateway.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.idpgateway.config.GatewayConfig.RateLimitScope;
import dev.idpgateway.config.ScopedLimit;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Duration;
import java.util.List;

/**
 * One Resilience4j {@link RateLimiter} per operation (or quota category) and user pool (or account), asked with a zero timeout so that
 * an event loop never parks. The limiters live in a bounded cache: callers that send many distinct
 * pool ids cannot make it grow without end.
 *
 * <p>A cluster-scoped limit is split evenly among the live replicas: each grants
 * {@code floor(limit / replicas)} per period, at least 1, so that together they never grant more
 * than the limit (unless the limit is below the replica count). {@link #replicasCounted} is told
 * the count; requests never wait for it.
 *
 * <p>A request may have to pass several limits (its operation's and its quota category's). It passes
 * only if every one has a permit, and a refused request must not use up permits of the others. A
 * Resilience4j limiter cannot give a permit back, so these decisions check every limiter first and
 * take the permits only when all have one, under one lock: inside it nothing else takes permits, and
 * time only adds permits between the check and the taking. The lock is held for a few atomic reads
 * and updates, and only when categories are configured; without them each request has one limiter
 * and no lock is taken.
 */
public final class PoolRateLimiters implements Throttle {
    private final RateLimitPolicy policy;
    private final boolean decidesTogether;
    private final Cache<LimiterKey, PoolLimiter> limiters;
    /** The live replicas as last counted; 1 until a count arrives, which is what a lone replica is. */
    private volatile int replicas = 1;

    public PoolRateLimiters(RateLimitPolicy policy, int maxLimiters, Duration idleExpiry) {
        this.policy = policy;
        this.decidesTogether = policy.sharesLimiters();
        this.limiters = Caffeine.newBuilder().maximumSize(maxLimiters).expireAfterAccess(idleExpiry)
                .executor(Runnable::run) // maintenance on the calling thread: no pool hops from an event loop
                .build();
    }

    @Override
    public boolean tryAcquire(String operation, String poolId) {
        List<RateLimitPolicy.AppliedLimit> applied = policy.limitsFor(operation, poolId);
        if (!decidesTogether) {
            return limiter(applied.get(0)).acquirePermission();
        }
        List<RateLimiter> all = applied.stream().map(this::limiter).toList();
        synchronized (this) {
            if (!all.stream().allMatch(limiter -> limiter.getMetrics().getAvailablePermissions() > 0)) {
                return false;
            }
            return all.stream().allMatch(RateLimiter::acquirePermission);
        }
    }

    @Override
    public void forget(String operation, String poolId) {
        policy.limitsFor(operation, poolId).stream()
                .filter(limit -> !limit.poolId().equals(RateLimitPolicy.ALL_POOLS))
                .forEach(limit -> limiters.invalidate(new LimiterKey(limit.counter(), limit.poolId())));
    }

    private RateLimiter limiter(RateLimitPolicy.AppliedLimit applied) {
        return limiters.get(new LimiterKey(applied.counter(), applied.poolId()), key -> newLimiter(key, applied.limit()))
                .rateLimiter();
    }

    /** How many limiters are kept now. */
    public long size() {
        limiters.cleanUp();
        return limiters.estimatedSize();
    }

    /**
     * Splits the cluster-scoped limits among {@code count} replicas. Called on every count, changed
     * or not, so that a limiter created while the count changed gets its share at the next one.
     * Under the lock of combined decisions, because taking back permits takes permits.
     */
    public synchronized void replicasCounted(int count) {
        replicas = Math.max(1, count);
        limiters.asMap().values().forEach(limiter -> limiter.applyShare(permitsPerPeriod(limiter.limit())));
    }

    /** The live replicas as last counted. */
    public int replicas() {
        return replicas;
    }

    /** What this replica grants per period under {@code limit} now: all of it, or its share of a cluster-wide one. */
    public int permitsPerPeriod(ScopedLimit limit) {
        int permits = limit.limit().permits();
        return limit.scope() == RateLimitScope.CLUSTER ? Math.max(1, permits / replicas) : permits;
    }

    private PoolLimiter newLimiter(LimiterKey key, ScopedLimit limit) {
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(permitsPerPeriod(limit))
                .limitRefreshPeriod(limit.limit().period())
                .timeoutDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build();
        return new PoolLimiter(RateLimiter.of(key.counter() + ":" + key.poolId(), config), limit);
    }

    /** @param counter an operation or {@code category:<name>}; {@code poolId} is empty for an account-wide limit */
    private record LimiterKey(String counter, String poolId) {
    }

    private record PoolLimiter(RateLimiter rateLimiter, ScopedLimit limit) {
        /**
         * Resilience4j applies a new limit from the next period on. A smaller share also takes back
         * the unused permits of this period beyond it, or the replicas together could grant more than
         * the limit until the period ends; a larger one waits for the next period, which is safe.
         */
        void applyShare(int share) {
            int previous = rateLimiter.getRateLimiterConfig().getLimitForPeriod();
            if (share == previous) {
                return;
            }
            rateLimiter.changeLimitForPeriod(share);
            if (share < previous) {
                withdraw(previous - share);
            }
        }

        private void withdraw(int permits) {
            int available = Math.min(permits, rateLimiter.getMetrics().getAvailablePermissions());
            // Fails only when requests took permits in between; then look at what is left again.
            while (available > 0 && !rateLimiter.acquirePermission(available)) {
                available = Math.min(permits, rateLimiter.getMetrics().getAvailablePermissions());
            }
        }
    }
}
