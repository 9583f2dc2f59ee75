package dev.idpgateway.reliability;

import dev.idpgateway.dev.EmbeddedRedisCluster;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.operation.AdminDisableUserTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

import java.util.Map;

/** The whole AdminDisableUser suite again, with the gateway in cluster mode on a real three-master Redis Cluster. */
@Tag("fault")
class AdminDisableUserOnClusterTest extends AdminDisableUserTest {
    private Vertx launcher;
    private EmbeddedRedisCluster cluster;

    @Override
    protected GatewayFixture startGateway() {
        launcher = Vertx.vertx();
        cluster = EmbeddedRedisCluster.start(launcher, 3);
        return GatewayFixture.startOnCluster(cluster, Map.of());
    }

    /** Every master has its own script cache. */
    @Override
    protected void flushScripts(GatewayFixture gateway) {
        for (int node = 0; node < cluster.nodes().size(); node++) {
            cluster.send(node, Request.cmd(Command.SCRIPT).arg("FLUSH"));
        }
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
        launcher.close();
    }
}
