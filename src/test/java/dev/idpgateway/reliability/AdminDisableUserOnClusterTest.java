package dev.idpgateway.reliability;

import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.operation.AdminDisableUserTest;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/** The whole AdminDisableUser suite again, with the gateway in cluster mode on a real three-master Redis Cluster. */
@Tag("fault")
class AdminDisableUserOnClusterTest extends AdminDisableUserTest {
    private ThreeMasterCluster cluster;

    @Override
    protected GatewayFixture startGateway() {
        cluster = new ThreeMasterCluster();
        return cluster.startGateway();
    }

    /** Every master has its own script cache. */
    @Override
    protected void flushScripts(GatewayFixture gateway) {
        for (int node = 0; node < cluster.redis().nodes().size(); node++) {
            cluster.redis().send(node, Request.cmd(Command.SCRIPT).arg("FLUSH"));
        }
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }
}
