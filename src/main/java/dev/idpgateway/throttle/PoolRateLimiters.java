package dev.idpgateway.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.idpgateway.config.RateLimit;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Duration;

/**
 * One Resilience4j {@link RateLimiter} per operation and user pool, asked with a zero timeout so that
 * an event loop never parks. The limiters live in a bounded cache: callers that send many distinct
 * pool ids cannot make it grow without end.
 */
public final class PoolRateLimiters implements Throttle {
    private final RateLimitPolicy policy;
    private final Cache<LimiterKey, RateLimiter> limiters;

    public PoolRateLimiters(RateLimitPolicy policy, int maxLimiters, Duration idleExpiry) {
        this.policy = policy;
        this.limiters = Caffeine.newBuilder().maximumSize(maxLimiters).expireAfterAccess(idleExpiry).build();
    }

    @Override
    public boolean tryAcquire(String operation, String poolId) {
        return limiters.get(new LimiterKey(operation, poolId), this::newLimiter).acquirePermission();
    }

    @Override
    public void forget(String operation, String poolId) {
        limiters.invalidate(new LimiterKey(operation, poolId));
    }

    /** How many limiters are kept now. */
    public long size() {
        limiters.cleanUp();
        return limiters.estimatedSize();
    }

    private RateLimiter newLimiter(LimiterKey key) {
        RateLimit limit = policy.limitFor(key.operation(), key.poolId());
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(limit.permits())
                .limitRefreshPeriod(limit.period())
                .timeoutDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build();
        return RateLimiter.of(key.operation() + ":" + key.poolId(), config);
    }

    private record LimiterKey(String operation, String poolId) {
    }
}
