package dev.idpgateway.reliability;

import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Polling;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.testing.Blocking;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InternalErrorException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis is killed with SIGKILL in the middle of many parallel disables and restarted from its AOF.
 * Every user must then be whole: disabled with no token left, or untouched with all of its tokens;
 * with {@code appendfsync always}, every disable that was answered 200 must have survived.
 */
@Tag("fault")
class StandaloneCrashTest {
    private static final int USERS = 400;
    private static final int TOKENS = 3;
    private static final int KILL_AFTER_SUCCESSES = 120;
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Crash");
    private static final KeySchema KEYS = new KeySchema("idp");

    @ParameterizedTest(name = "appendfsync {0}")
    @ValueSource(strings = {"everysec", "always"})
    void aKilledRedisLeavesEveryUserDisabledWithoutTokensOrUntouched(String appendfsync) throws Exception {
        try (EmbeddedRedis aof = EmbeddedRedis.builder().serverArgs("--appendonly", "yes", "--appendfsync", appendfsync).start();
             // Redis stays down until every call has ended: riding through is StandaloneRestartTest's part,
             // so the requests after the kill fail at once instead of each waiting out a budget.
             GatewayFixture gateway = GatewayFixture.startOn(aof, Map.of("IDP_REDIS_RETRY_BUDGET", "0s"));
             CognitoIdentityProviderClient cognito = gateway.client()) {
            Blocking.await(gateway.writer.write(POOL, IntStream.range(0, USERS)
                    .mapToObj(i -> UserRecord.builder("user" + i).tokens(TOKENS).build()).toList()));

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            CountDownLatch enoughDone = new CountDownLatch(KILL_AFTER_SUCCESSES);
            ExecutorService callers = Executors.newFixedThreadPool(16);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                String username = "user" + i;
                calls.add(callers.submit(() -> {
                    try {
                        cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username(username));
                        acknowledged.add(username);
                        enoughDone.countDown();
                    } catch (InternalErrorException redisGone) {
                        // expected once Redis is killed
                    }
                }));
            }
            assertTrue(enoughDone.await(60, TimeUnit.SECONDS), "disables did not get going");
            gateway.redisServer.kill();
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
            callers.shutdown();
            assertTrue(acknowledged.size() < USERS, "Redis died only after every disable: nothing was tested");

            gateway.redisServer.start();
            List<String> broken = new ArrayList<>();
            List<String> lostAcknowledged = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                String username = "user" + i;
                String state = userState(gateway, username);
                if (state.equals("broken")) {
                    broken.add(username);
                } else if (state.equals("untouched") && acknowledged.contains(username)) {
                    lostAcknowledged.add(username);
                }
            }
            assertEquals(List.of(), broken, "users half disabled");
            System.out.printf("appendfsync %s: %d of %d disables acknowledged before the kill, %d of them lost%n",
                    appendfsync, acknowledged.size(), USERS, lostAcknowledged.size());
            if (appendfsync.equals("always")) {
                assertEquals(List.of(), lostAcknowledged, "acknowledged disables lost");
            }
            // The gateway was not restarted: it serves again against the restarted Redis as soon as its
            // probe finds it answering.
            String lastUser = "user" + (USERS - 1);
            Polling.await("the gateway serves again", Duration.ofSeconds(30), () -> {
                try {
                    cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username(lastUser));
                    return true;
                } catch (InternalErrorException e) {
                    return false;
                }
            });
            assertEquals("disabled", userState(gateway, "user" + (USERS - 1)));
        }
    }

    /** "disabled" (no token left), "untouched" (enabled, every token there) or "broken" (anything else). */
    private static String userState(GatewayFixture gateway, String username) {
        Map<String, String> user = gateway.redis.hash(KEYS.user(POOL.poolId(), username));
        Set<String> index = gateway.redis.members(KEYS.tokenIndex(POOL.poolId(), username));
        Set<String> tokens = gateway.redis.keys(KEYS.tokenPrefix(POOL.poolId(), username) + "*");
        if ("false".equals(user.get("enabled")) && index.isEmpty() && tokens.isEmpty() && user.containsKey("tokens_revoked_at")) {
            return "disabled";
        }
        if ("true".equals(user.get("enabled")) && index.size() == TOKENS && tokens.size() == TOKENS) {
            return "untouched";
        }
        return "broken";
    }
}
