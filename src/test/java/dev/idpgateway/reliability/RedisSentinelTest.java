package dev.idpgateway.reliability;

import dev.idpgateway.GatewayFixture;
import dev.idpgateway.dev.EmbeddedSentinel;
import dev.idpgateway.dev.IdentityWriter;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InternalErrorException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The primary behind the sentinels is killed under traffic: while the sentinels elect the replica,
 * requests fail fast with InternalErrorException; afterwards they succeed against the new primary,
 * and the gateway was never restarted.
 */
@Tag("fault")
class RedisSentinelTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Sentinel");
    /** Command timeout (1 s) plus slack for a loaded machine: "fast" means never a hang. */
    private static final Duration FAST = Duration.ofSeconds(3);

    @Test
    void killingThePrimaryFailsFastThenServesFromTheNewPrimary() throws Exception {
        Vertx launcher = Vertx.vertx();
        try (EmbeddedSentinel sentinel = EmbeddedSentinel.start(launcher);
             GatewayFixture gateway = GatewayFixture.start(Map.of("IDP_REDIS_MODE", "sentinel",
                     "IDP_REDIS_URL", sentinel.sentinelUrls()));
             CognitoIdentityProviderClient cognito = gateway.client()) {
            Redis writerClient = Redis.createClient(gateway.vertx, new RedisOptions().setType(RedisClientType.SENTINEL)
                    .setEndpoints(List.of(sentinel.sentinelUrls().split(","))).setMasterName(EmbeddedSentinel.MASTER_NAME)
                    .setRole(RedisRole.MASTER));
            // Replication is asynchronous: the fixture must reach the replica before the primary dies.
            RedisConnection writer = GatewayFixture.await(writerClient.connect());
            GatewayFixture.await(new IdentityWriter(writer).write(POOL, UserRecord.builder("alice").tokens(2).build()));
            assertEquals(1, GatewayFixture.await(writer.send(Request.cmd(Command.WAIT).arg(1).arg(10_000))).toInteger());
            GatewayFixture.await(writer.close());
            disable(cognito);

            int oldPrimary = sentinel.primaryPort();
            sentinel.server(oldPrimary).kill();
            List<Duration> failures = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            boolean recovered = false;
            while (!recovered && System.nanoTime() < deadline) {
                long started = System.nanoTime();
                try {
                    disable(cognito);
                    recovered = true;
                } catch (InternalErrorException e) {
                    failures.add(Duration.ofNanos(System.nanoTime() - started));
                }
            }
            if (!recovered) {
                fail("no success within 60 s after the primary died; " + failures.size() + " InternalErrorExceptions");
            }
            assertTrue(sentinel.primaryPort() != oldPrimary, "served again, but no failover happened?");
            for (Duration took : failures) {
                assertTrue(took.compareTo(FAST) < 0, "a request during the election took " + took);
            }
            System.out.printf("sentinel failover: %d requests failed fast (slowest %s) before the new primary served%n",
                    failures.size(), failures.stream().max(Duration::compareTo).orElse(Duration.ZERO));
            for (int i = 0; i < 20; i++) {
                disable(cognito);
            }
            GatewayFixture.await(writerClient.close());
        } finally {
            launcher.close();
        }
    }

    private static void disable(CognitoIdentityProviderClient cognito) {
        cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username("alice"));
    }
}
