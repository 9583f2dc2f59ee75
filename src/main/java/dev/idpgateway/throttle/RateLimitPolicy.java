package dev.idpgateway.throttle;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.config.ScopedLimit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which limits apply to an operation on a pool. An operation in no quota category has its own
 * limit: the pool's own, else the operation's, else the default; and it holds in the pool's scope,
 * else the operation's, else the default scope. An operation in a category counts against the
 * category's limit (per pool or for the account), and against its own limit only where
 * {@code rateLimits.operations} names one for it (its default, or the pool's).
 */
public final class RateLimitPolicy {
    /** The pool id of a limit that counts every pool of the account together. */
    static final String ALL_POOLS = "";
    private static final String CATEGORY_PREFIX = "category:";

    private final GatewayConfig.RateLimits config;
    private final Map<String, String> categoryOf = new HashMap<>();

    public RateLimitPolicy(GatewayConfig.RateLimits config) {
        this.config = config;
        config.categories().forEach((name, category) -> category.operations().forEach(op -> categoryOf.put(op, name)));
    }

    /**
     * One limit that applies to a request: its limiter is named by {@code counter} (an operation, or
     * {@code category:<name>}) and {@code poolId} ({@link #ALL_POOLS} for an account-wide one).
     */
    record AppliedLimit(String counter, String poolId, ScopedLimit limit) {
    }

    /** Every limit a request must pass, in a fixed order (the operation's, then its category's); never empty. */
    List<AppliedLimit> limitsFor(String operation, String poolId) {
        String category = categoryOf.get(operation);
        if (category == null) {
            return List.of(new AppliedLimit(operation, poolId, limitFor(operation, poolId)));
        }
        List<AppliedLimit> applied = new ArrayList<>(2);
        ScopedLimit own = ownLimit(operation, poolId);
        if (own != null) {
            applied.add(new AppliedLimit(operation, poolId, own));
        }
        applied.add(new AppliedLimit(CATEGORY_PREFIX + category,
                config.categories().get(category).per() == GatewayConfig.QuotaHolder.ACCOUNT ? ALL_POOLS : poolId,
                categoryLimit(category)));
        return applied;
    }

    /** Whether a request may have to pass more than one limiter, which then must be decided together. */
    boolean sharesLimiters() {
        return !config.categories().isEmpty();
    }

    /** A category's limit with its scope resolved. */
    public ScopedLimit categoryLimit(String category) {
        GatewayConfig.CategoryLimits limits = config.categories().get(category);
        return new ScopedLimit(limits.limit() != null ? limits.limit() : config.limit(),
                limits.scope() != null ? limits.scope() : config.scope());
    }

    /** @return the limit with its scope resolved (never null) */
    public ScopedLimit limitFor(String operation, String poolId) {
        ScopedLimit operationLimit = limitFor(operation);
        GatewayConfig.OperationLimits limits = config.operations().get(operation);
        ScopedLimit poolLimit = limits == null ? null : limits.pools().get(poolId);
        return poolLimit == null ? operationLimit : poolLimit.orScope(operationLimit.scope());
    }

    /** The limit of an operation on every pool without a limit of its own, with its scope resolved. */
    public ScopedLimit limitFor(String operation) {
        GatewayConfig.OperationLimits limits = config.operations().get(operation);
        if (limits == null) {
            return new ScopedLimit(config.limit(), config.scope());
        }
        return new ScopedLimit(limits.limit() != null ? limits.limit() : config.limit(),
                limits.scope() != null ? limits.scope() : config.scope());
    }

    /** The limit {@code rateLimits.operations} names for an operation on a pool, or null when it names none. */
    private ScopedLimit ownLimit(String operation, String poolId) {
        GatewayConfig.OperationLimits limits = config.operations().get(operation);
        if (limits == null || (limits.limit() == null && !limits.pools().containsKey(poolId))) {
            return null;
        }
        return limitFor(operation, poolId);
    }
}
