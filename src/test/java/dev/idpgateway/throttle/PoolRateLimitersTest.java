package dev.idpgateway.throttle;

import dev.idpgateway.config.ConfigException;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.config.RateLimit;
import dev.idpgateway.config.ScopedLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.idpgateway.config.GatewayConfig.RateLimitScope.CLUSTER;
import static dev.idpgateway.config.GatewayConfig.RateLimitScope.REPLICA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolRateLimitersTest {
    private static final Duration LONG = Duration.ofHours(1);

    private static GatewayConfig.RateLimits limits(Map<String, GatewayConfig.OperationLimits> operations) {
        return limits(GatewayConfig.RateLimitScope.REPLICA, operations);
    }

    private static GatewayConfig.RateLimits limits(GatewayConfig.RateLimitScope scope,
                                                   Map<String, GatewayConfig.OperationLimits> operations) {
        return limits(scope, operations, Map.of());
    }

    private static GatewayConfig.RateLimits limits(GatewayConfig.RateLimitScope scope,
                                                   Map<String, GatewayConfig.OperationLimits> operations,
                                                   Map<String, GatewayConfig.CategoryLimits> categories) {
        return new GatewayConfig.RateLimits(new RateLimit(3, LONG), scope, 100, Duration.ofMinutes(10),
                new GatewayConfig.ReplicaHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(5)), operations, categories);
    }

    private static final List<String> USER_UPDATE = List.of("AdminDisableUser", "AdminEnableUser", "AdminUserGlobalSignOut");

    private static PoolRateLimiters categorized(GatewayConfig.QuotaHolder per,
                                                Map<String, GatewayConfig.OperationLimits> operations) {
        return new PoolRateLimiters(new RateLimitPolicy(limits(REPLICA, operations, Map.of("userUpdate",
                new GatewayConfig.CategoryLimits(USER_UPDATE, new RateLimit(5, LONG), null, per)))),
                100, Duration.ofMinutes(10));
    }

    @Test
    void operationsOfACategoryShareItsLimitPerPool() {
        PoolRateLimiters throttle = categorized(GatewayConfig.QuotaHolder.POOL, Map.of());
        assertEquals(2, accepted(throttle, "AdminDisableUser", "p_1", 2));
        assertEquals(2, accepted(throttle, "AdminEnableUser", "p_1", 2));
        assertEquals(1, accepted(throttle, "AdminUserGlobalSignOut", "p_1", 4));
        assertEquals(5, accepted(throttle, "AdminEnableUser", "p_2", 10));
        // An operation in no category keeps its own limit (rateLimits.default).
        assertEquals(3, accepted(throttle, "AdminGetUser", "p_1", 10));
    }

    @Test
    void anAccountWideCategoryCountsEveryPoolTogether() {
        PoolRateLimiters throttle = categorized(GatewayConfig.QuotaHolder.ACCOUNT, Map.of());
        assertEquals(3, accepted(throttle, "AdminDisableUser", "p_1", 3));
        assertEquals(2, accepted(throttle, "AdminEnableUser", "p_2", 10));
        assertEquals(0, accepted(throttle, "AdminDisableUser", "p_3", 10));
    }

    @Test
    void aRequestRefusedByOneLimitTakesNoPermitOfTheOther() {
        // AdminDisableUser on p_1: 2 of its own, and the account's 5 for the category.
        PoolRateLimiters throttle = categorized(GatewayConfig.QuotaHolder.ACCOUNT, Map.of("AdminDisableUser",
                new GatewayConfig.OperationLimits(null, null, Map.of("p_1", limit(2, null)))));
        assertEquals(2, accepted(throttle, "AdminDisableUser", "p_1", 10));
        // The 8 refused by the pool's own limit left the category's 3 other permits alone.
        assertEquals(3, accepted(throttle, "AdminEnableUser", "p_2", 10));
        // And a request the category refuses takes nothing of the operation's own limit.
        assertEquals(0, accepted(throttle, "AdminDisableUser", "p_9", 1));
        assertEquals(1, new RateLimitPolicy(limits(REPLICA, Map.of("AdminDisableUser",
                new GatewayConfig.OperationLimits(null, null, Map.of("p_1", limit(2, null)))), Map.of("userUpdate",
                new GatewayConfig.CategoryLimits(USER_UPDATE, null, null, null)))).limitsFor("AdminDisableUser", "p_9").size());
    }

    @Test
    void aClusterScopedCategoryIsSplitAmongTheReplicas() {
        PoolRateLimiters throttle = new PoolRateLimiters(new RateLimitPolicy(limits(REPLICA, Map.of(), Map.of("userUpdate",
                new GatewayConfig.CategoryLimits(USER_UPDATE, new RateLimit(10, LONG), CLUSTER, GatewayConfig.QuotaHolder.ACCOUNT)))),
                100, Duration.ofMinutes(10));
        throttle.replicasCounted(3);
        assertEquals(2, accepted(throttle, "AdminDisableUser", "p_1", 2));
        assertEquals(1, accepted(throttle, "AdminEnableUser", "p_2", 5), "floor(10 / 3) for the account, on this replica");
        assertEquals(true, limits(REPLICA, Map.of(), Map.of("userUpdate",
                new GatewayConfig.CategoryLimits(USER_UPDATE, null, CLUSTER, null))).anyClusterScope());
    }

    @Test
    void aCategoryWithoutALimitTakesTheDefaultAndAnOperationIsInOneCategoryOnly() {
        RateLimitPolicy policy = new RateLimitPolicy(limits(CLUSTER, Map.of(), Map.of("userRead",
                new GatewayConfig.CategoryLimits(List.of("AdminGetUser"), null, null, null))));
        assertEquals(limit(3, CLUSTER), policy.categoryLimit("userRead"));
        assertEquals(RateLimitPolicy.ALL_POOLS, policy.limitsFor("AdminGetUser", "p_1").get(0).poolId());
        assertThrows(ConfigException.class, () -> limits(REPLICA, Map.of(), Map.of(
                "a", new GatewayConfig.CategoryLimits(List.of("AdminGetUser"), null, null, null),
                "b", new GatewayConfig.CategoryLimits(List.of("AdminGetUser"), null, null, null))));
    }

    private static ScopedLimit limit(int permits, GatewayConfig.RateLimitScope scope) {
        return new ScopedLimit(new RateLimit(permits, LONG), scope);
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
                new GatewayConfig.OperationLimits(new RateLimit(5, LONG), null, Map.of("p_big", limit(8, null))))));
        assertEquals(new RateLimit(8, LONG), policy.limitFor("AdminDisableUser", "p_big").limit());
        assertEquals(new RateLimit(5, LONG), policy.limitFor("AdminDisableUser", "p_1").limit());
        assertEquals(new RateLimit(3, LONG), policy.limitFor("AdminGetUser", "p_big").limit());
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

    @Test
    void aScopeComesFromThePoolElseTheOperationElseTheDefault() {
        RateLimitPolicy policy = new RateLimitPolicy(limits(CLUSTER, Map.of(
                "AdminDisableUser", new GatewayConfig.OperationLimits(null, REPLICA,
                        Map.of("p_inherits", limit(8, null), "p_own", limit(9, CLUSTER))))));
        assertEquals(limit(8, REPLICA), policy.limitFor("AdminDisableUser", "p_inherits"));
        assertEquals(limit(9, CLUSTER), policy.limitFor("AdminDisableUser", "p_own"));
        assertEquals(limit(3, REPLICA), policy.limitFor("AdminDisableUser", "p_1"));
        assertEquals(limit(3, CLUSTER), policy.limitFor("AdminGetUser", "p_1"));
    }

    @Test
    void aClusterLimitIsSplitEvenlyAmongTheReplicasWithAFloorOfOne() {
        PoolRateLimiters throttle = new PoolRateLimiters(new RateLimitPolicy(limits(CLUSTER, Map.of("AdminDisableUser",
                new GatewayConfig.OperationLimits(new RateLimit(30, LONG), null, Map.of("p_local", limit(4, REPLICA)))))),
                100, Duration.ofMinutes(10));
        throttle.replicasCounted(3);
        assertEquals(10, accepted(throttle, "AdminDisableUser", "p_1", 20));
        assertEquals(4, accepted(throttle, "AdminDisableUser", "p_local", 20), "a replica-scoped limit is not split");
        throttle.replicasCounted(4);
        assertEquals(7, accepted(throttle, "AdminDisableUser", "p_2", 20), "floor(30 / 4)");
        throttle.replicasCounted(40);
        assertEquals(1, accepted(throttle, "AdminDisableUser", "p_3", 20), "never below 1");
        assertEquals(1, throttle.permitsPerPeriod(limit(30, CLUSTER)));
        assertEquals(30, throttle.permitsPerPeriod(limit(30, REPLICA)));
    }

    @Test
    void aSmallerShareTakesBackThisPeriodsUnusedPermitsAtOnce() {
        PoolRateLimiters throttle = new PoolRateLimiters(new RateLimitPolicy(limits(CLUSTER, Map.of("AdminDisableUser",
                new GatewayConfig.OperationLimits(new RateLimit(30, LONG), null, Map.of())))), 100, Duration.ofMinutes(10));
        throttle.replicasCounted(2);
        assertEquals(5, accepted(throttle, "AdminDisableUser", "p_1", 5));
        assertEquals(5, accepted(throttle, "AdminDisableUser", "p_2", 5));
        throttle.replicasCounted(3);
        // Share 10 now: of 15 each, p_1 and p_2 used 5 and have 5 left.
        assertEquals(5, accepted(throttle, "AdminDisableUser", "p_1", 20));
        throttle.replicasCounted(6);
        // Share 5: p_2 had used its 5 already.
        assertEquals(0, accepted(throttle, "AdminDisableUser", "p_2", 20));
    }
}
