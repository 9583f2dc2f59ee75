package dev.idpgateway;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InternalErrorException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis goes away mid-test: callers get InternalErrorException within the command timeout, then service resumes. */
class RedisOutageTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Outage");
    private static GatewayFixture gateway;
    private static CognitoIdentityProviderClient cognito;

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start(Map.of());
        cognito = gateway.client();
    }

    @AfterAll
    static void stop() {
        cognito.close();
        gateway.close();
    }

    private static void seed(String username) {
        GatewayFixture.await(gateway.writer.write(POOL, UserRecord.builder(username).tokens(2).build()));
    }

    private static void disable(String username) {
        cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username(username));
    }

    @Test
    void redisDownIsAnInternalErrorAndServiceResumesWhenItReturns() {
        seed("before");
        disable("before");
        assertEquals(200, readiness());

        for (Runnable outage : new Runnable[]{gateway.redisServer::stop, gateway.redisServer::kill}) {
            outage.run();
            long started = System.nanoTime();
            InternalErrorException e = assertThrows(InternalErrorException.class, () -> disable("before"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(500, e.statusCode());
            assertEquals("InternalErrorException", e.awsErrorDetails().errorCode());
            // Bounded by the command timeout (1s) plus slack for a loaded machine: never a hang.
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
            assertEquals(503, readiness());

            gateway.redisServer.start();
            seed("after");
            disable("after");
            assertEquals("false", gateway.redis.hash(gateway.writer.keys().user(POOL.poolId(), "after")).get("enabled"));
            assertEquals(200, readiness());
        }
    }

    private static int readiness() {
        try {
            URI ready = gateway.managementEndpoint().resolve("/health/ready");
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
