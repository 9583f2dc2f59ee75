package dev.idpgateway.store;

import dev.idpgateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;

/** Builds the Redis client for the configured topology. */
public final class RedisClients {
    /** One per event-loop context that sends commands; a cap, not an allocation. */
    private static final int MAX_PIPELINED_CONNECTIONS = 64;
    private static final String POOL_NAME = "idp-redis";
    private static final String PIPELINED_NAME = POOL_NAME + "-pipelined";

    private RedisClients() {
    }

    public static Redis create(Vertx vertx, GatewayConfig.Redis config) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.commandTimeout().toMillis());
        RedisOptions options = new RedisOptions()
                .setType(switch (config.mode()) {
                    case STANDALONE -> RedisClientType.STANDALONE;
                    case SENTINEL -> RedisClientType.SENTINEL;
                    case CLUSTER -> RedisClientType.CLUSTER;
                })
                .setEndpoints(config.urls())
                .setMasterName(config.masterName())
                .setRole(RedisRole.MASTER)
                // Named, so that the vertx_pool_* and vertx_redis_* metrics tell the two clients apart.
                .setPoolName(POOL_NAME)
                .setMaxPoolSize(config.maxPoolSize())
                .setMaxPoolWaiting(config.maxPoolWaiting())
                .setNetClientOptions(new NetClientOptions()
                        .setMetricsName(POOL_NAME)
                        .setConnectTimeout(timeoutMillis)
                        .setTcpNoDelay(true)
                        .setTcpKeepAlive(true));
        Redis pooled = Redis.createClient(vertx, options);
        if (config.mode() != GatewayConfig.RedisMode.STANDALONE) {
            return pooled;
        }
        // Standalone: one pipelined connection per event loop (PipelinedRedis says why it is standalone only),
        // from a client of their own so that they never take the pool's connections.
        Redis lanes = Redis.createClient(vertx, new RedisOptions(options)
                .setPoolName(PIPELINED_NAME)
                .setNetClientOptions(new NetClientOptions(options.getNetClientOptions()).setMetricsName(PIPELINED_NAME))
                .setMaxPoolSize(MAX_PIPELINED_CONNECTIONS)
                .setMaxPoolWaiting(MAX_PIPELINED_CONNECTIONS));
        return new PipelinedRedis(pooled, lanes);
    }
}
