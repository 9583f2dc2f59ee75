package dev.idpgateway.throttle;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.config.RateLimit;

/** Which limit applies to an operation on a pool: the pool's own, else the operation's, else the default. */
public final class RateLimitPolicy {
    private final GatewayConfig.RateLimits config;

    public RateLimitPolicy(GatewayConfig.RateLimits config) {
        this.config = config;
    }

    public RateLimit limitFor(String operation, String poolId) {
        GatewayConfig.OperationLimits limits = config.operations().get(operation);
        if (limits == null) {
            return config.limit();
        }
        RateLimit poolLimit = limits.pools().get(poolId);
        if (poolLimit != null) {
            return poolLimit;
        }
        return limits.limit() != null ? limits.limit() : config.limit();
    }
}
