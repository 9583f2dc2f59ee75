package dev.idpgateway.reliability;

import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.dev.EmbeddedRedisCluster;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A master of a Redis Cluster (three masters, one replica each, cluster-node-timeout 1 s) is killed
 * under load: while the cluster fails it and promotes its replica, requests wait within their retry
 * budget (10 s here) instead of failing, and every disable answered 200 is on the master that serves
 * its user afterwards. The gateway is never restarted.
 */
@Tag("fault")
class RedisClusterFailoverTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Failover");
    private static final int USERS = 1200;
    private static final int KILLED = 0;

    @Test
    void killingAMasterUnderLoadCostsNoRequestAndLosesNoAcknowledgedDisable() throws Exception {
        List<String> usernames = IntStream.range(0, USERS).mapToObj(i -> "user" + i).toList();
        Vertx launcher = Vertx.vertx();
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.startWithReplicas(launcher, 3);
             GatewayFixture gateway = GatewayFixture.startOnCluster(cluster, Map.of("IDP_REDIS_RETRY_BUDGET", "10s"));
             CognitoIdentityProviderClient cognito = gateway.client()) {
            Blocking.await(gateway.writer.write(POOL, usernames.stream()
                    .map(username -> UserRecord.builder(username).tokens(1).build()).toList()));
            cluster.awaitReplicasInSync();
            Set<Integer> masters = new TreeSet<>();
            usernames.subList(0, 30).forEach(username -> masters.add(cluster.ownerOf(cluster.slotOf(gateway.writer.keys().user(POOL.poolId(), username)))));
            assertEquals(Set.of(0, 1, 2), masters, "the users should live on every master");

            int promoted = cluster.replicaOf(KILLED);
            try (FaultLoad load = new FaultLoad(cognito, POOL.poolId(), usernames, 8, 300,
                    gateway.managementEndpoint().resolve("/health/ready"))) {
                Polling.await("load under way", Duration.ofSeconds(30), () -> load.successes() >= 300);
                long killed = System.nanoTime();
                cluster.nodes().get(KILLED).kill();
                Polling.await("replica promoted", Duration.ofSeconds(30), () -> cluster.isMaster(promoted));
                long promotedAt = System.nanoTime();
                assertTrue(load.awaitDone(Duration.ofSeconds(120)), "the load did not finish");
                System.out.println(load.figures("cluster failover (master SIGKILL)", promotedAt)
                        .replace("after Redis answered again", "after the replica was promoted")
                        + String.format(", promoted %d ms after the kill", Duration.ofNanos(promotedAt - killed).toMillis()));
                assertEquals(List.of(), List.copyOf(load.failures), "failed requests");
                assertEquals(USERS, load.successes());

                List<String> lost = load.acknowledged.stream().filter(username -> !"false".equals(
                        gateway.redis.hash(gateway.writer.keys().user(POOL.poolId(), username)).get("enabled"))).toList();
                assertEquals(List.of(), lost, "disables answered 200 but not on the serving master");
            }
        } finally {
            launcher.close();
        }
    }
}
