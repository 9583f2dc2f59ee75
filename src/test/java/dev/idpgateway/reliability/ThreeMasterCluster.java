package dev.idpgateway.reliability;

import dev.idpgateway.dev.EmbeddedRedisCluster;
import dev.idpgateway.http.GatewayFixture;
import io.vertx.core.Vertx;

import java.util.Map;

/** A three-master embedded Redis Cluster, for a suite that runs again with the gateway in cluster mode. */
final class ThreeMasterCluster implements AutoCloseable {
    private final Vertx launcher = Vertx.vertx();
    private final EmbeddedRedisCluster redis = EmbeddedRedisCluster.start(launcher, 3);

    /** A gateway in cluster mode on this cluster. */
    GatewayFixture startGateway() {
        return GatewayFixture.startOnCluster(redis, Map.of());
    }

    EmbeddedRedisCluster redis() {
        return redis;
    }

    @Override
    public void close() {
        redis.close();
        launcher.close();
    }
}
