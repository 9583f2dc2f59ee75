package dev.idpgateway.reliability;

import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.dev.EmbeddedRedisCluster;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Polling;
import dev.idpgateway.redis.RedisClients;
import dev.idpgateway.redis.TestPki;
import dev.idpgateway.redis.TlsProxy;
import dev.idpgateway.testing.Blocking;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cluster mode over TLS: each node of a three-master cluster behind a TLS proxy of its own, the nodes announcing
 * the proxies' ports (cluster-announce-port), the gateway given the first node's rediss:// URL only. Users on
 * every node get disabled, so the client reached the nodes that CLUSTER SLOTS announced, and it did so over
 * TLS: the announced ports speak nothing else.
 */
@Tag("fault")
class RedisClusterTlsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void disablesUsersOnEveryNodeOverTls(@TempDir Path dir) {
        Vertx vertx = Vertx.vertx();
        TestPki pki = new TestPki(dir, "cluster");
        TestPki.Issued certificate = pki.server("node", "localhost", "127.0.0.1");
        List<TlsProxy> proxies = new ArrayList<>();
        // Each node's proxy starts first (it connects to the node only when a client connects to it).
        EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(vertx, 3, nodePort -> {
            TlsProxy proxy = TlsProxy.start(vertx, 0, certificate, null, nodePort);
            proxies.add(proxy);
            return proxy.port();
        });
        try {
            Set<Integer> proxyPorts = new HashSet<>(proxies.stream().map(TlsProxy::port).toList());
            for (int node = 0; node < cluster.nodes().size(); node++) {
                int asked = node;
                Polling.await("node " + node + " announcing the proxies", PATIENCE,
                        () -> proxyPorts.equals(announcedPorts(cluster, asked)));
            }

            Map<String, String> env = Map.of(
                    "IDP_REDIS_MODE", "cluster",
                    "IDP_REDIS_URL", "rediss://127.0.0.1:" + proxies.get(0).port(),
                    "IDP_REDIS_CA", pki.caFile().toString());
            try (GatewayFixture gateway = GatewayFixture.startWith(
                    RedisClients.connectionOptions(new ConfigLoader().loadRedis(env)), env);
                 CognitoIdentityProviderClient cognito = gateway.client()) {
                Set<Integer> nodesServed = new HashSet<>();
                for (int i = 0; nodesServed.size() < proxies.size(); i++) {
                    PoolRecord pool = PoolRecord.of("us-east-1_TlsPool" + i);
                    Blocking.await(gateway.writer.write(pool, UserRecord.builder("alice").tokens(1).build()));
                    cognito.adminDisableUser(request -> request.userPoolId(pool.poolId()).username("alice"));
                    String userKey = gateway.writer.keys().user(pool.poolId(), "alice");
                    assertEquals("false", gateway.redis.hash(userKey).get("enabled"));
                    nodesServed.add(cluster.ownerOf(cluster.slotOf(userKey)));
                }
            }
        } finally {
            proxies.forEach(TlsProxy::close);
            cluster.close();
            Blocking.await(vertx.close());
        }
    }

    /** The ports of the masters as CLUSTER SLOTS on this node reports them. */
    private static Set<Integer> announcedPorts(EmbeddedRedisCluster cluster, int node) {
        Set<Integer> ports = new HashSet<>();
        for (Response range : cluster.send(node, Request.cmd(Command.CLUSTER).arg("SLOTS"))) {
            ports.add(range.get(2).get(1).toInteger());
        }
        return ports;
    }
}
