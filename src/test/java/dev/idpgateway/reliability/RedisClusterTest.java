package dev.idpgateway.reliability;

import dev.idpgateway.testing.Polling;
import dev.idpgateway.dev.EmbeddedRedisCluster;
import dev.idpgateway.dev.IdentityWriter;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.testing.Blocking;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * AdminDisableUser against a real three-master Redis Cluster (IDP_REDIS_MODE=cluster): users on
 * every master, resolution through an index on another slot, the script reloaded after SCRIPT FLUSH
 * on every master, and a user's slot moved to another master under traffic without a lost request.
 */
@Tag("fault")
class RedisClusterTest {
    private static final KeySchema KEYS = new KeySchema("idp");
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Cluster").withAliasAttributes("email");
    private static final int USERS = 30;
    private static Vertx launcher;
    private static EmbeddedRedisCluster cluster;
    private static GatewayFixture gateway;
    private static Redis clusterClient;
    private static CognitoIdentityProviderClient cognito;

    @BeforeAll
    static void start() {
        launcher = Vertx.vertx();
        cluster = EmbeddedRedisCluster.start(launcher, 3);
        // The fixture's own standalone Redis stays unused: the gateway talks to the cluster.
        gateway = GatewayFixture.start(Map.of("IDP_REDIS_MODE", "cluster", "IDP_REDIS_URL", cluster.urls()));
        clusterClient = Redis.createClient(gateway.vertx, new RedisOptions().setType(RedisClientType.CLUSTER)
                .setEndpoints(List.of(cluster.urls().split(","))));
        Blocking.await(new IdentityWriter(clusterClient).write(POOL, IntStream.range(0, USERS)
                .mapToObj(i -> UserRecord.builder("user" + i).email("user" + i + "@example.com").tokenIds("t0", "t1").build())
                .toList()));
        cognito = gateway.client();
    }

    @AfterAll
    static void stop() {
        cognito.close();
        Blocking.await(clusterClient.close());
        gateway.close();
        cluster.close();
        launcher.close();
    }

    private static Response send(Request request) {
        return Blocking.await(clusterClient.send(request));
    }

    private static void disable(String username) {
        cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username(username));
    }

    private static void assertDisabledWithoutTokens(String userKey) {
        assertEquals("false", send(Request.cmd(Command.HGET).arg(KEYS.user(POOL.poolId(), userKey)).arg("enabled")).toString());
        assertEquals(0, send(Request.cmd(Command.EXISTS).arg(KEYS.tokenIndex(POOL.poolId(), userKey))).toInteger());
        assertEquals(0, send(Request.cmd(Command.EXISTS).arg(KEYS.token(POOL.poolId(), userKey, "t0"))).toInteger(),
                "token keys are deleted with the index");
    }

    @Test
    void disablesUsersOnEveryMasterAndThroughAnIndexOnAnotherSlot() {
        Set<Integer> masters = new TreeSet<>();
        for (int i = 0; i < 20; i++) {
            masters.add(cluster.ownerOf(cluster.slotOf(KEYS.user(POOL.poolId(), "user" + i))));
            disable("user" + i);
            assertDisabledWithoutTokens("user" + i);
        }
        assertEquals(Set.of(0, 1, 2), masters, "the users should live on every master");
        disable("user20@example.com");
        assertDisabledWithoutTokens("user20");
        assertThrows(UserNotFoundException.class, () -> disable("nobody"));
        assertThrows(ResourceNotFoundException.class,
                () -> cognito.adminDisableUser(b -> b.userPoolId("us-east-1_Missing").username("x")));
    }

    @Test
    void theScriptIsReloadedOnEveryMasterAfterScriptFlush() {
        for (int node = 0; node < 3; node++) {
            cluster.send(node, Request.cmd(Command.SCRIPT).arg("FLUSH"));
        }
        for (int i = 21; i < 27; i++) {
            disable("user" + i);
            assertDisabledWithoutTokens("user" + i);
        }
    }

    @Test
    void aSlotMovedUnderTrafficLosesNoRequest() throws Exception {
        String mover = "user29";
        int slot = cluster.slotOf(KEYS.user(POOL.poolId(), mover));
        int source = cluster.ownerOf(slot);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger succeeded = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService traffic = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(traffic.submit(() -> {
                while (running.get()) {
                    try {
                        disable(mover); // idempotent: every call must succeed
                        succeeded.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        try {
            Polling.await("traffic to flow", Duration.ofSeconds(30), () -> succeeded.get() > 50);
            cluster.moveSlot(slot, (source + 1) % 3);
            int afterMove = succeeded.get();
            Polling.await("traffic to flow after the move", Duration.ofSeconds(30), () -> succeeded.get() > afterMove + 50);
        } finally {
            running.set(false);
            for (Future<?> client : clients) {
                client.get(30, TimeUnit.SECONDS);
            }
            traffic.shutdown();
        }
        assertNotEquals(source, cluster.ownerOf(slot));
        assertEquals(List.of(), failures, "requests lost while the slot moved");
        assertDisabledWithoutTokens(mover);
    }
}
