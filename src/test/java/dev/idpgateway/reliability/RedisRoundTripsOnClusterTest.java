package dev.idpgateway.reliability;

import dev.idpgateway.dev.EmbeddedRedisCluster;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.operation.RedisRoundTripsTest;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

import java.util.Map;

/** The round-trip suite on a three-master Redis Cluster: the candidates' reads and the audit XADD stay commands of their own. */
@Tag("fault")
class RedisRoundTripsOnClusterTest extends RedisRoundTripsTest {
    private Vertx launcher;
    private EmbeddedRedisCluster cluster;

    @Override
    protected GatewayFixture startGateway() {
        launcher = Vertx.vertx();
        cluster = EmbeddedRedisCluster.start(launcher, 3);
        return GatewayFixture.startOnCluster(cluster, Map.of());
    }

    @Override
    protected boolean oneNode() {
        return false;
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
        launcher.close();
    }
}
