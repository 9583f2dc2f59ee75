package dev.idpgateway.reliability;

import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.operation.RedisRoundTripsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/** The round-trip suite on a three-master Redis Cluster: the candidates' reads and the audit XADD stay commands of their own. */
@Tag("fault")
class RedisRoundTripsOnClusterTest extends RedisRoundTripsTest {
    private ThreeMasterCluster cluster;

    @Override
    protected GatewayFixture startGateway() {
        cluster = new ThreeMasterCluster();
        return cluster.startGateway();
    }

    @Override
    protected boolean oneNode() {
        return false;
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }
}
