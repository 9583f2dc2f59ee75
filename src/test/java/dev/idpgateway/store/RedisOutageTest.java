package dev.idpgateway.store;

import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis goes away for longer than the retry budget (3 s): each request fails with InternalErrorException
 * no later than budget + command timeout, readiness turns false once the outage outlasts the budget,
 * and service resumes within moments of Redis answering again.
 */
class RedisOutageTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Outage");
    private static final Duration BUDGET = Duration.ofSeconds(3);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SLACK = Duration.ofMillis(500);
    private static EmbeddedRedis redis;
    private static GatewayFixture gateway;
    private static CognitoIdentityProviderClient cognito;

    @BeforeAll
    static void start() {
        // AOF, so that the users are there again after the kill.
        redis = EmbeddedRedis.builder().serverArgs("--appendonly", "yes", "--appendfsync", "always").start();
        gateway = GatewayFixture.startOn(redis, Map.of());
        cognito = gateway.client();
    }

    @AfterAll
    static void stop() {
        cognito.close();
        gateway.close();
        redis.close();
    }

    private static void seed(String username) {
        Blocking.await(gateway.writer.write(POOL, UserRecord.builder(username).tokens(2).build()));
    }

    private static void disable(String username) {
        cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username(username));
    }

    @Test
    void redisDownLongerThanTheBudgetIsAnInternalErrorAndServiceResumesWhenItReturns() {
        seed("before");
        seed("after");
        disable("before");
        assertEquals(200, readiness());

        gateway.redisServer.kill();
        long down = System.nanoTime();
        assertEquals(200, readiness(), "a fault shorter than the budget keeps the replica ready");

        List<Duration> failures = new ArrayList<>();
        // Requests fail for as long as the outage has not outlasted the budget: one at least.
        while (Duration.ofNanos(System.nanoTime() - down).compareTo(BUDGET) < 0) {
            long started = System.nanoTime();
            InternalErrorException e = assertThrows(InternalErrorException.class, () -> disable("before"));
            assertEquals(500, e.statusCode());
            failures.add(Duration.ofNanos(System.nanoTime() - started));
        }
        for (Duration took : failures) {
            assertTrue(took.compareTo(BUDGET.plus(COMMAND_TIMEOUT).plus(SLACK)) < 0, "a request took " + took);
        }
        // An outage longer than the budget takes the replica out, within a command timeout of outlasting it.
        Polling.await("readiness to turn false", COMMAND_TIMEOUT.plus(SLACK), () -> readiness() == 503);

        // Redis comes back once the test has seen the outage; the first request after it must succeed promptly.
        gateway.redisServer.start();
        long back = System.nanoTime();
        Duration outage = Duration.ofNanos(back - down);
        disable("after");
        Duration toFirstSuccess = Duration.ofNanos(System.nanoTime() - back);
        System.out.printf("redis down %d ms: %d requests failed (slowest %d ms), first success %d ms after Redis answered again%n",
                outage.toMillis(), failures.size(), failures.stream().max(Duration::compareTo).orElseThrow().toMillis(),
                toFirstSuccess.toMillis());
        assertTrue(toFirstSuccess.compareTo(SLACK) < 0, "first success " + toFirstSuccess + " after Redis answered");
        assertEquals("false", gateway.redis.hash(gateway.writer.keys().user(POOL.poolId(), "after")).get("enabled"));
        Polling.await("readiness after the outage", Duration.ofSeconds(10), () -> readiness() == 200);
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
