package dev.idpgateway.reliability;

import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.testing.Blocking;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis (AOF, appendfsync always) is killed with SIGKILL under load and restarted 0.5 s later: with
 * the default retry budget (3 s) no request fails, readiness stays 200 throughout, and every disable
 * answered 200 is on disk (checked after a second kill and restart).
 */
@Tag("fault")
class StandaloneRestartTest {
    private static final int USERS = 900;
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Restart");
    private static final KeySchema KEYS = new KeySchema("idp");

    @Test
    void aRedisRestartedAfterHalfASecondCostsNoRequest() throws Exception {
        List<String> usernames = IntStream.range(0, USERS).mapToObj(i -> "user" + i).toList();
        ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedRedis redis = EmbeddedRedis.builder().serverArgs("--appendonly", "yes", "--appendfsync", "always").start();
             GatewayFixture gateway = GatewayFixture.startOn(redis, Map.of());
             CognitoIdentityProviderClient cognito = gateway.client()) {
            Blocking.await(gateway.writer.write(POOL, usernames.stream()
                    .map(username -> UserRecord.builder(username).tokens(1).build()).toList()));
            long redisBack;
            try (FaultLoad load = new FaultLoad(cognito, POOL.poolId(), usernames, 8, 300,
                    gateway.managementEndpoint().resolve("/health/ready"))) {
                dev.idpgateway.testing.Polling.await("load under way", Duration.ofSeconds(30), () -> load.successes() >= 300);
                redis.kill();
                // The fault's duration: Redis is down for half a second.
                ScheduledFuture<Long> restarted = faults.schedule(() -> {
                    redis.start();
                    return System.nanoTime();
                }, 500, TimeUnit.MILLISECONDS);
                redisBack = restarted.get(30, TimeUnit.SECONDS);
                assertTrue(load.awaitDone(Duration.ofSeconds(120)), "the load did not finish");
                System.out.println(load.figures("standalone SIGKILL, restart after 0.5 s", redisBack));
                assertEquals(List.of(), List.copyOf(load.failures), "failed requests");
                assertEquals(List.of(), List.copyOf(load.notReady), "readiness answers other than 200");
                assertTrue(load.firstSuccessAfter(redisBack).compareTo(Duration.ofMillis(500)) < 0,
                        "first success " + load.firstSuccessAfter(redisBack) + " after Redis answered");

                redis.kill();
                redis.start();
                List<String> lost = load.acknowledged.stream()
                        .filter(username -> !"false".equals(gateway.redis.hash(KEYS.user(POOL.poolId(), username)).get("enabled")))
                        .toList();
                assertEquals(List.of(), lost, "disables answered 200 but not on disk");
            }
        } finally {
            faults.shutdownNow();
        }
    }
}
