package dev.idpgateway.redis;

import dev.idpgateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the Redis client for the configured topology. */
public final class RedisClients {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClients.class);
    /** One per event-loop context that sends commands; a cap, not an allocation. */
    private static final int MAX_PIPELINED_CONNECTIONS = 64;
    private static final String POOL_NAME = "idp-redis";
    private static final String PIPELINED_NAME = POOL_NAME + "-pipelined";
    /**
     * How long the cluster client reuses its slot map (CLUSTER SLOTS). It refreshes the map on MOVED/ASK only,
     * not when a master's connection is refused, so after a failover it keeps calling the dead master until
     * the map expires: this bounds the wait after the replica is promoted (the client's default is 1 s).
     */
    private static final long CLUSTER_SLOT_MAP_TTL_MILLIS = 250;

    private RedisClients() {
    }

    /**
     * Whether one node holds every key (standalone, sentinel), so that one script may touch keys of any slot;
     * on Redis Cluster a script touches one slot's keys only.
     */
    public static boolean holdsEveryKeyOnOneNode(GatewayConfig.Redis config) {
        return config.mode() != GatewayConfig.RedisMode.CLUSTER;
    }

    public static Redis create(Vertx vertx, GatewayConfig.Redis config) {
        if (config.tlsEnabled() && !config.tls().verifyHostname()) {
            LOG.warn("redis.tls.verifyHostname is false: Redis certificates are checked against the CA but not "
                    + "against the host name, so any server holding a certificate of that CA is accepted");
        }
        RedisOptions options = connectionOptions(config)
                // Named, so that the vertx_pool_* and vertx_redis_* metrics tell the two clients apart.
                .setPoolName(POOL_NAME)
                .setMaxPoolSize(config.maxPoolSize())
                .setMaxPoolWaiting(config.maxPoolWaiting());
        options.getNetClientOptions().setMetricsName(POOL_NAME);
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

    /**
     * Where and how to connect: topology, URLs, ACL user and password, TLS. Every node the client finds on its
     * own (the primary named by Sentinel, the nodes CLUSTER SLOTS announces) gets the same credentials and TLS
     * options: the client derives their URLs from the configured ones, scheme included.
     */
    public static RedisOptions connectionOptions(GatewayConfig.Redis config) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.commandTimeout().toMillis());
        NetClientOptions net = new NetClientOptions()
                .setConnectTimeout(timeoutMillis)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        if (config.tlsEnabled()) {
            GatewayConfig.RedisTls tls = config.tls();
            // An empty algorithm is how Vert.x is told not to verify the host name; null would refuse to connect.
            net.setSsl(true).setHostnameVerificationAlgorithm(tls.verifyHostname() ? "HTTPS" : "");
            if (tls.ca() != null) {
                net.setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()));
            }
            if (tls.certificate() != null) {
                net.setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(tls.certificate().toString())
                        .setKeyPath(tls.key().toString()));
            }
        }
        return new RedisOptions()
                .setType(switch (config.mode()) {
                    case STANDALONE -> RedisClientType.STANDALONE;
                    case SENTINEL -> RedisClientType.SENTINEL;
                    case CLUSTER -> RedisClientType.CLUSTER;
                })
                .setEndpoints(config.urls())
                .setMasterName(config.masterName())
                .setRole(RedisRole.MASTER)
                .setHashSlotCacheTTL(CLUSTER_SLOT_MAP_TTL_MILLIS)
                .setUser(config.username())
                .setPassword(config.password() == null ? null : config.password().value())
                .setNetClientOptions(net);
    }
}
