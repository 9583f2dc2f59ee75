package dev.idpgateway.throttle;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.testing.Blocking;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-pool rate limit: over it, TooManyRequestsException, and the rejected requests never reach Redis. */
class ThrottlingTest {
    private static final PoolRecord LIMITED = PoolRecord.of("us-east-1_Limited");
    private static final PoolRecord OTHER = PoolRecord.of("us-east-1_Other");
    private static final PoolRecord THIRD = PoolRecord.of("us-east-1_Third");
    @TempDir
    static Path dir;
    private static GatewayFixture gateway;
    private static CognitoIdentityProviderClient cognito;

    @BeforeAll
    static void start() throws IOException {
        // A refill period far longer than the test: the count, not the clock, decides.
        gateway = GatewayFixture.startWithConfig(dir, """
                rateLimits:
                  operations:
                    AdminDisableUser:
                      default: 4/1h
                      pools:
                        us-east-1_Other: 6/1h
                """);
        cognito = gateway.client();
        Blocking.await(gateway.writer.write(LIMITED, UserRecord.builder("alice").build()));
        Blocking.await(gateway.writer.write(OTHER, UserRecord.builder("bob").build()));
        Blocking.await(gateway.writer.write(THIRD, UserRecord.builder("bob").build()));
    }

    @AfterAll
    static void stop() {
        cognito.close();
        gateway.close();
    }

    private static int send(PoolRecord pool, int requests) {
        int throttled = 0;
        for (int i = 0; i < requests; i++) {
            try {
                cognito.adminDisableUser(b -> b.userPoolId(pool.poolId()).username(pool == LIMITED ? "alice" : "bob"));
            } catch (TooManyRequestsException e) {
                assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
                assertEquals(400, e.statusCode());
                throttled++;
            }
        }
        return throttled;
    }

    @Test
    void requestsOverThePoolLimitAreThrottledAndNeverReachRedis() {
        long scriptsBefore = scriptCalls();
        assertEquals(6, send(LIMITED, 10));
        assertEquals(4, send(OTHER, 10));
        long eventsWritten = gateway.redis.send(Command.XLEN, new KeySchema("idp").events(LIMITED.poolId())).toLong();
        assertEquals(4, eventsWritten);
        // One script run per accepted request; the 10 throttled ones cost Redis nothing.
        assertEquals(10, scriptCalls() - scriptsBefore);
    }

    @Test
    void throttlingIsAnAwsErrorTheSdkCanRetry() {
        TooManyRequestsException e = assertThrows(TooManyRequestsException.class, () -> {
            for (int i = 0; i < 20; i++) {
                cognito.adminDisableUser(b -> b.userPoolId(THIRD.poolId()).username("bob"));
            }
        });
        assertEquals("TooManyRequestsException", e.awsErrorDetails().errorCode());
        assertTrue(e.isThrottlingException());
    }

    /** EVALSHA and EVAL calls Redis has counted so far. */
    private static long scriptCalls() {
        String stats = gateway.redis.send(Command.INFO, "commandstats").toString();
        return stats.lines().filter(line -> line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("^.*:calls=(\\d+),.*$", "$1"))).sum();
    }
}
