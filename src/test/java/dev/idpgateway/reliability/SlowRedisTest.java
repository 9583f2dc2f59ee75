package dev.idpgateway.reliability;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InternalErrorException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis that stops answering (its process stopped, SIGSTOP, until the test resumes it) and a burst far over the connection pool: callers get
 * InternalErrorException at the end of their retry budget (plus at most one command timeout), the
 * probe marks Redis unreachable so that further requests wait for it without calling it, at most
 * {@code redis.retry.maxWaiting} of them at once, and everything recovers by itself.
 */
@Tag("fault")
class SlowRedisTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Slow");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BUDGET = Duration.ofSeconds(2);
    /** Slack for a loaded machine. */
    private static final Duration SLACK = Duration.ofMillis(500);
    @TempDir
    Path dir;

    private GatewayFixture start() throws IOException {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                redis:
                  commandTimeout: 1s
                  maxPoolSize: 2
                  maxPoolWaiting: 4
                  retry:
                    budget: 2s
                    maxWaiting: 4
                """);
        GatewayFixture gateway = GatewayFixture.start(Map.of("IDP_CONFIG", config.toString()));
        List<UserRecord> users = IntStream.range(0, 50).mapToObj(i -> UserRecord.builder("user" + i).tokens(1).build()).toList();
        Blocking.await(gateway.writer.write(POOL, users));
        return gateway;
    }

    @Test
    void aPausedRedisIsWaitedForWithinTheBudgetThenEverythingRecovers() throws Exception {
        try (GatewayFixture gateway = start(); CognitoIdentityProviderClient cognito = gateway.client()) {
            Stall stall = Stall.of(gateway.redis);
            try {
                // While Redis does not answer: InternalErrorException once the budget is spent, the last
                // attempt bounded by the command timeout ...
                long started = System.nanoTime();
                InternalErrorException timedOut = assertThrows(InternalErrorException.class,
                        () -> disable(cognito, "user0"));
                assertEquals(500, timedOut.statusCode());
                assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(BUDGET.plus(COMMAND_TIMEOUT).plus(SLACK)) < 0);
                // ... and the probe, not the requests, asks Redis from then on.
                assertEquals("1.0", metric(gateway, "idp_redis_unreachable "));
                assertTrue(Double.parseDouble(metric(gateway, "idp_redis_retries_total{reason=\"timeout\"")) >= 1);
                long waited = System.nanoTime();
                assertThrows(InternalErrorException.class, () -> disable(cognito, "user1"));
                assertTrue(Duration.ofNanos(System.nanoTime() - waited).compareTo(BUDGET.plus(SLACK)) < 0,
                        "a request that waits for an unreachable Redis ends with its budget");
            } finally {
                stall.resume();
            }
            // Redis answers again: the probe sees it, and the pool has no leaked connection.
            Polling.await("service after Redis answers again", Duration.ofSeconds(30), () -> succeeds(cognito, "user2"));
            for (int i = 3; i < 13; i++) {
                disable(cognito, "user" + i);
            }
            assertEquals("0.0", metric(gateway, "idp_redis_unreachable "));
            assertEquals("false", gateway.redis.hash(gateway.writer.keys().user(POOL.poolId(), "user12")).get("enabled"));
        }
    }

    @Test
    void aBurstFarOverThePoolSizeOnlyThrottlesOrFailsAndThenRecovers() throws Exception {
        try (GatewayFixture gateway = start(); CognitoIdentityProviderClient cognito = gateway.client()) {
            int succeeded = burst(cognito);
            assertTrue(succeeded > 0, "some requests of the burst succeed");
            Polling.await("service after the burst", Duration.ofSeconds(30), () -> succeeds(cognito, "user1"));
            for (int i = 0; i < 20; i++) {
                disable(cognito, "user" + i);
            }
        }
    }

    /**
     * 400 requests from 48 callers at once, far over the pool (2 connections, 4 waiters).
     *
     * @return how many succeeded; every other one must be TooManyRequestsException or InternalErrorException
     */
    private static int burst(CognitoIdentityProviderClient cognito) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(48);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String username = "user" + (i % 50);
            outcomes.add(callers.submit(() -> {
                try {
                    disable(cognito, username);
                    return "ok";
                } catch (TooManyRequestsException | InternalErrorException e) {
                    return e.awsErrorDetails().errorCode();
                } catch (CognitoIdentityProviderException e) {
                    return "unexpected " + e.awsErrorDetails().errorCode();
                }
            }));
        }
        int succeeded = 0;
        for (Future<String> outcome : outcomes) {
            String result = outcome.get();
            assertTrue(!result.startsWith("unexpected"), result);
            succeeded += result.equals("ok") ? 1 : 0;
        }
        callers.shutdown();
        return succeeded;
    }

    @Test
    void aBurstAgainstAStalledRedisIsAnsweredAtOnceAndLeavesMemoryFlat() throws Exception {
        try (GatewayFixture gateway = start(); CognitoIdentityProviderClient cognito = gateway.client()) {
            disable(cognito, "user0");
            long heapBefore = usedHeapAfterGc();
            Stall stall = Stall.of(gateway.redis);
            try {
                burst(cognito);
            } finally {
                stall.resume();
            }
            Polling.await("service after the stall", Duration.ofSeconds(30), () -> succeeds(cognito, "user1"));
            long growth = usedHeapAfterGc() - heapBefore;
            // Nothing queued without bound: redis.retry.maxWaiting caps the waiting requests, more fail at once.
            assertTrue(growth < 32L * 1024 * 1024, "heap grew by " + growth / 1024 + " KiB");
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void disable(CognitoIdentityProviderClient cognito, String username) {
        cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username(username));
    }

    private static boolean succeeds(CognitoIdentityProviderClient cognito, String username) {
        try {
            disable(cognito, username);
            return true;
        } catch (InternalErrorException e) {
            return false;
        }
    }

    private static String metric(GatewayFixture gateway, String prefix) {
        try {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(gateway.managementEndpoint().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return metrics.body().lines().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElse("absent");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

}
