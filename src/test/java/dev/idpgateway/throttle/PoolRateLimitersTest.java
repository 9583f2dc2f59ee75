package dev.idpgateway.throttle;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.config.RateLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolRateLimitersTest {
    private static final Duration LONG = Duration.ofHours(1);

    private static GatewayConfig.RateLimits limits(Map<String, GatewayConfig.OperationLimits> operations) {
        return new GatewayConfig.RateLimits(new RateLimit(3, LONG), GatewayConfig.RateLimitScope.REPLICA, 100,
                Duration.ofMinutes(10), operations);
    }

    private static int accepted(Throttle throttle, String operation, String pool, int attempts) {
        int accepted = 0;
        for (int i = 0; i < attempts; i++) {
            if (throttle.tryAcquire(operation, pool)) {
                accepted++;
            }
        }
        return accepted;
    }

    @Test
    void eachOperationAndPoolHasItsOwnLimit() {
        Throttle throttle = new PoolRateLimiters(new RateLimitPolicy(limits(Map.of())), 100, Duration.ofMinutes(10));
        assertEquals(3, accepted(throttle, "AdminDisableUser", "p_1", 10));
        assertEquals(3, accepted(throttle, "AdminDisableUser", "p_2", 10));
        assertEquals(3, accepted(throttle, "AdminGetUser", "p_1", 10));
    }

    @Test
    void poolAndOperationOverridesWin() {
        RateLimitPolicy policy = new RateLimitPolicy(limits(Map.of("AdminDisableUser",
                new GatewayConfig.OperationLimits(new RateLimit(5, LONG), Map.of("p_big", new RateLimit(8, LONG))))));
        assertEquals(new RateLimit(8, LONG), policy.limitFor("AdminDisableUser", "p_big"));
        assertEquals(new RateLimit(5, LONG), policy.limitFor("AdminDisableUser", "p_1"));
        assertEquals(new RateLimit(3, LONG), policy.limitFor("AdminGetUser", "p_big"));
    }

    @Test
    void theLimiterCacheIsBoundedAndForgettingStartsAfresh() {
        PoolRateLimiters throttle = new PoolRateLimiters(new RateLimitPolicy(limits(Map.of())), 100, Duration.ofMinutes(10));
        assertEquals(3, accepted(throttle, "AdminDisableUser", "p_1", 3));
        assertFalse(throttle.tryAcquire("AdminDisableUser", "p_1"));
        throttle.forget("AdminDisableUser", "p_1");
        assertTrue(throttle.tryAcquire("AdminDisableUser", "p_1"));
        for (int i = 0; i < 10_000; i++) {
            throttle.tryAcquire("AdminDisableUser", "made_up" + i);
        }
        assertTrue(throttle.size() <= 100, "limiters kept: " + throttle.size());
    }
}
