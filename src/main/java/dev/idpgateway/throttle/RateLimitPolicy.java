package dev.idpgateway.throttle;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.config.ScopedLimit;

/**
 * Which limit applies to an operation on a pool: the pool's own, else the operation's, else the
 * default; and where it holds: the pool's scope, else the operation's, else the default scope.
 */
public final class RateLimitPolicy {
    private final GatewayConfig.RateLimits config;

    public RateLimitPolicy(GatewayConfig.RateLimits config) {
        this.config = config;
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
}
