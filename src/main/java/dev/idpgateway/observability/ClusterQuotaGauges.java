package dev.idpgateway.observability;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.config.ScopedLimit;
import dev.idpgateway.throttle.PoolRateLimiters;
import dev.idpgateway.throttle.RateLimitPolicy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the cluster quota looks like from this replica: the live replicas it counted, and its share of
 * each cluster-scoped limit per operation and pool. The {@code pool} label is a pool named in the
 * rate limit configuration or {@value #OTHER_POOL} (every other pool, which shares the operation's
 * limit), so callers cannot grow the number of series.
 */
public final class ClusterQuotaGauges {
    /** The same word the throttled-requests counter uses for pools without a limit of their own. */
    private static final String OTHER_POOL = "other";

    private final MeterRegistry registry;
    private final GatewayConfig.RateLimits config;
    private final RateLimitPolicy policy;
    private final PoolRateLimiters limiters;
    private final Collection<String> operations;
    private final List<Meter> registered = new ArrayList<>();

    /** @param operations the operations served: the only values of the {@code operation} label */
    public ClusterQuotaGauges(MeterRegistry registry, GatewayConfig.RateLimits config, PoolRateLimiters limiters,
                              Collection<String> operations) {
        this.registry = registry;
        this.config = config;
        this.policy = new RateLimitPolicy(config);
        this.limiters = limiters;
        this.operations = List.copyOf(operations);
    }

    /** Registers the gauges when a limit is cluster-scoped; without one there is no share to show. */
    public void register() {
        if (!config.anyClusterScope()) {
            return;
        }
        registered.add(Gauge.builder("idp.ratelimit.replicas", limiters::replicas)
                .description("Live gateway replicas this replica counted at its last heartbeat; cluster-scoped limits are split among them")
                .register(registry));
        for (String operation : operations) {
            registerShare(operation, OTHER_POOL, policy.limitFor(operation));
            GatewayConfig.OperationLimits limits = config.operations().get(operation);
            Map<String, ScopedLimit> pools = limits == null ? Map.of() : limits.pools();
            pools.keySet().forEach(pool -> registerShare(operation, pool, policy.limitFor(operation, pool)));
        }
    }

    /** Removes the gauges, which read this gateway's limiters, so that a gateway started later on the same registry shows its own. */
    public void remove() {
        registered.forEach(registry::remove);
        registered.clear();
    }

    private void registerShare(String operation, String pool, ScopedLimit limit) {
        if (limit.scope() != GatewayConfig.RateLimitScope.CLUSTER) {
            return;
        }
        registered.add(Gauge.builder("idp.ratelimit.share", () -> limiters.permitsPerPeriod(limit))
                .description("Permits per period this replica grants under a cluster-wide limit: its even share, at least 1")
                .tags("operation", operation, "pool", pool)
                .baseUnit("permits")
                .register(registry));
    }
}
