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
                .setMaxPoolSize(config.maxPoolSize())
                .setMaxPoolWaiting(config.maxPoolWaiting())
                .setNetClientOptions(new NetClientOptions()
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
                .setMaxPoolSize(MAX_PIPELINED_CONNECTIONS)
                .setMaxPoolWaiting(MAX_PIPELINED_CONNECTIONS));
        return new PipelinedRedis(pooled, lanes);
    }
}
