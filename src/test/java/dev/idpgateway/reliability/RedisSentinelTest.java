package dev.idpgateway.reliability;

import dev.idpgateway.dev.BlockingRedis;
import dev.idpgateway.dev.EmbeddedSentinel;
import dev.idpgateway.dev.IdentityWriter;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The primary behind the sentinels is killed under load: while the sentinels elect a replica, requests
 * wait for the new primary within their retry budget instead of failing, and with
 * {@code redis.durability.replicas: 1} every disable answered 200 is on the new primary, its audit event
 * with it. The gateway is never restarted. What is asserted is that no request is lost once a primary is
 * elected, not how fast the election is: an election takes a few seconds on a quiet machine and more than
 * 10 s on a loaded one, so the retry budget is {@link #RETRY_BUDGET}.
 */
@Tag("fault")
class RedisSentinelTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Sentinel");
    private static final int USERS = 1200;
    /** Long enough for an election on a loaded machine; shorter than the SDK client's 30 s read timeout. */
    private static final Duration RETRY_BUDGET = Duration.ofSeconds(25);
    /** The election itself: the budget plus the time the sentinels take to notice and agree. */
    private static final Duration ELECTION = RETRY_BUDGET.plusSeconds(30);
    @TempDir
    Path dir;

    @Test
    void killingThePrimaryUnderLoadCostsNoRequestAndLosesNoAcknowledgedDisable() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "redis:\n  durability:\n    replicas: 1\n    timeout: 300ms\n");
        List<String> usernames = IntStream.range(0, USERS).mapToObj(i -> "user" + i).toList();
        Vertx launcher = Vertx.vertx();
        try (EmbeddedSentinel sentinel = EmbeddedSentinel.start(launcher);
             GatewayFixture gateway = GatewayFixture.start(Map.of("IDP_REDIS_MODE", "sentinel",
                     "IDP_REDIS_URL", sentinel.sentinelUrls(),
                     "IDP_REDIS_RETRY_BUDGET", RETRY_BUDGET.toSeconds() + "s",
                     "IDP_CONFIG", config.toString()));
             CognitoIdentityProviderClient cognito = gateway.client()) {
            Redis writerClient = Redis.createClient(gateway.vertx, new RedisOptions().setType(RedisClientType.SENTINEL)
                    .setEndpoints(List.of(sentinel.sentinelUrls().split(","))).setMasterName(EmbeddedSentinel.MASTER_NAME)
                    .setRole(RedisRole.MASTER));
            // Replication is asynchronous: the fixture must reach the replicas before the primary dies.
            RedisConnection writer = Blocking.await(writerClient.connect());
            Blocking.await(new IdentityWriter(writer).write(POOL, usernames.stream()
                    .map(username -> UserRecord.builder(username).tokens(1).build()).toList()));
            assertEquals(2, Blocking.await(writer.send(Request.cmd(Command.WAIT).arg(2).arg(10_000))).toInteger());
            Blocking.await(writer.close());

            int oldPrimary = sentinel.primaryPort();
            try (FaultLoad load = new FaultLoad(cognito, POOL.poolId(), usernames, 8, 300,
                    gateway.managementEndpoint().resolve("/health/ready"))) {
                Polling.await("load under way", Duration.ofSeconds(30), () -> load.successes() >= 200);
                long killed = System.nanoTime();
                sentinel.server(oldPrimary).kill();
                Polling.await("the sentinels to elect a new primary", ELECTION, () -> sentinel.primaryPort() != oldPrimary);
                assertTrue(load.awaitDone(Duration.ofSeconds(120)), "the load did not finish");
                System.out.println(load.figures("sentinel failover (primary SIGKILL)", killed)
                        .replace("after Redis answered again", "after the primary died"));
                assertEquals(List.of(), List.copyOf(load.failures), "failed requests");

                BlockingRedis newPrimary = new BlockingRedis(gateway.vertx, "redis://127.0.0.1:" + sentinel.primaryPort());
                try {
                    List<String> lost = load.acknowledged.stream().filter(username -> !"false".equals(
                            newPrimary.hash(gateway.writer.keys().user(POOL.poolId(), username)).get("enabled"))).toList();
                    assertEquals(List.of(), lost, "disables answered 200 but not on the new primary");
                    // The script writes the audit event with the change, so the replicas acknowledged both.
                    Set<String> audited = new HashSet<>();
                    String events = gateway.writer.keys().events(POOL.poolId());
                    for (Response event : newPrimary.send(Command.XRANGE, events, "-", "+")) {
                        Response fields = event.get(1);
                        for (int i = 0; i + 1 < fields.size(); i += 2) {
                            if (fields.get(i).toString().equals("user_key")) {
                                audited.add(fields.get(i + 1).toString());
                            }
                        }
                    }
                    assertEquals(List.of(), load.acknowledged.stream().filter(username -> !audited.contains(username)).toList(),
                            "disables answered 200 without their audit event on the new primary");
                } finally {
                    newPrimary.close();
                }
            }
            Blocking.await(writerClient.close());
        } finally {
            launcher.close();
        }
    }
}
