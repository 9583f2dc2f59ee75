package dev.idpgateway.throttle;

import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Polling;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.testing.Blocking;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster-scoped limit holds for several gateway replicas together: each its own Vert.x, all on
 * one Redis, as pods of one Deployment are. The shares follow the replicas as they come and go.
 */
class ClusterQuotaTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterQuotaTest.class);
    private static final String OPERATION = "AdminDisableUser";
    /** A refill period far longer than the test: the count, not the clock, decides. */
    private static final int CLUSTER_LIMIT = 30;
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(100);
    private static final Duration EXPIRY = Duration.ofMillis(600);
    /** Far more than a heartbeat interval and an expiry: only a share that never follows fails. */
    private static final Duration FOLLOW_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger POOLS = new AtomicInteger();
    @TempDir
    static Path dir;
    private static EmbeddedRedis redisServer;
    private static Map<String, String> environment;
    private final List<Replica> replicas = new ArrayList<>();

    /** One gateway process of the Deployment, and a client that reaches only it. */
    private record Replica(GatewayFixture fixture, CognitoIdentityProviderClient cognito) implements AutoCloseable {
        static Replica start() {
            GatewayFixture fixture = GatewayFixture.startOn(redisServer, environment);
            return new Replica(fixture, fixture.client());
        }

        double gauge(String name, String... tags) {
            Gauge gauge = fixture.telemetry.registry().find(name).tags(tags).gauge();
            return gauge == null ? Double.NaN : gauge.value();
        }

        int replicasSeen() {
            return (int) gauge("idp.ratelimit.replicas");
        }

        int share() {
            return (int) gauge("idp.ratelimit.share", "operation", OPERATION, "pool", "other");
        }

        boolean disable(String poolId) {
            try {
                cognito.adminDisableUser(b -> b.userPoolId(poolId).username("alice"));
                return true;
            } catch (TooManyRequestsException e) {
                return false;
            }
        }

        @Override
        public void close() {
            cognito.close();
            fixture.close();
        }
    }

    @BeforeAll
    static void startRedis() throws IOException {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                rateLimits:
                  heartbeat:
                    interval: %dms
                    expiry: %dms
                  operations:
                    AdminDisableUser:
                      default: %d/1h
                """.formatted(HEARTBEAT_INTERVAL.toMillis(), EXPIRY.toMillis(), CLUSTER_LIMIT));
        // The operation's limit inherits the default scope, which the environment sets as Kubernetes would.
        environment = Map.of("IDP_CONFIG", config.toString(), "IDP_RATE_LIMIT_SCOPE", "cluster");
        redisServer = EmbeddedRedis.builder().start();
    }

    @AfterAll
    static void stopRedis() {
        redisServer.close();
    }

    @BeforeEach
    void startThreeReplicas() {
        for (int i = 0; i < 3; i++) {
            replicas.add(Replica.start());
        }
        awaitEveryReplicaSees(3);
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(Replica::close);
    }

    @Test
    void theReplicasTogetherAcceptTheClusterLimitAndTheSharesFollowTheReplicaCount() {
        assertAcceptedTogether(CLUSTER_LIMIT, 10);
        String metrics = replicas.get(0).fixture.telemetry.scrape();
        assertTrue(metrics.contains("idp_ratelimit_replicas 3.0"), metrics);
        assertTrue(metrics.contains("idp_ratelimit_share_permits{operation=\"AdminDisableUser\",pool=\"other\"} 10.0"), metrics);

        Replica leaving = replicas.remove(2);
        long leftAt = System.nanoTime();
        leaving.close();
        assertEquals(2, registeredReplicas(), "a stopped replica leaves the registry at once");
        awaitEveryReplicaSees(2);
        LOG.info("two replicas took over the stopped one's share after {} ms", elapsedMillis(leftAt));
        assertAcceptedTogether(CLUSTER_LIMIT, 15);

        long joinedAt = System.nanoTime();
        replicas.add(Replica.start());
        awaitEveryReplicaSees(3);
        LOG.info("the shares shrank for a new replica after {} ms", elapsedMillis(joinedAt));
        assertAcceptedTogether(CLUSTER_LIMIT, 10);
    }

    @Test
    void aReplicaThatStopsHeartbeatingStopsCountingWhenItsEntryExpires() {
        // A replica that crashed: one heartbeat, then silence. Scored on Redis's clock like the others.
        long lastHeartbeat = System.nanoTime();
        replicas.get(0).fixture.redis.send(Command.ZADD, new KeySchema("idp").replicas(),
                redisNowMillis() + 3 * EXPIRY.toMillis(), "crashed-replica");
        awaitEveryReplicaSees(4);
        assertEquals(7, replicas.get(0).share(), "floor(30 / 4)");

        awaitEveryReplicaSees(3);
        LOG.info("a crashed replica stopped counting {} ms after its last heartbeat (its entry lived {} ms, and a "
                + "lower count holds once it has lasted {} ms)", elapsedMillis(lastHeartbeat), 3 * EXPIRY.toMillis(), EXPIRY.toMillis());
        assertAcceptedTogether(CLUSTER_LIMIT, 10);
    }

    @Test
    void noShareRisesWhileRedisIsAwayNorWhenItComesBackWithoutTheReplicas() {
        IntSummaryStatistics seen = new IntSummaryStatistics();
        long failedBefore = fewestHeartbeats("error");
        // Killed, not shut down: it comes back without the replicas set, and the replicas renew their entries one by one.
        redisServer.kill();
        Polling.await("heartbeats failing for longer than the expiry", FOLLOW_TIMEOUT,
                () -> sampled(seen) && fewestHeartbeats("error") - failedBefore > beatsPerExpiry());
        redisServer.start();
        long answeredBefore = fewestHeartbeats("success");
        Polling.await("heartbeats answered again for longer than the expiry", FOLLOW_TIMEOUT,
                () -> sampled(seen) && fewestHeartbeats("success") - answeredBefore > beatsPerExpiry());
        assertEquals(3, seen.getMin(), "the fewest replicas any replica went by");
        assertEquals(3, registeredReplicas());
        assertAcceptedTogether(CLUSTER_LIMIT, 10);
    }

    /** Records what every replica goes by now; always true, to sit inside a polled condition. */
    private boolean sampled(IntSummaryStatistics seen) {
        replicas.forEach(replica -> seen.accept(replica.replicasSeen()));
        return true;
    }

    /** Redis commands with this outcome of the replica that sent the fewest: heartbeats are all these replicas send. */
    private long fewestHeartbeats(String outcome) {
        return replicas.stream().mapToLong(replica -> replica.fixture.telemetry.registry().find("idp.redis.commands")
                .tag("outcome", outcome).timers().stream().mapToLong(Timer::count).sum()).min().orElseThrow();
    }

    private static long beatsPerExpiry() {
        return EXPIRY.toMillis() / HEARTBEAT_INTERVAL.toMillis() + 1;
    }

    /**
     * Drives a new pool far above its limit through every replica at once, and checks that together
     * they accept the limit, each its share (floor(limit / replicas), so at most the limit).
     */
    private void assertAcceptedTogether(int limit, int share) {
        replicas.forEach(replica -> assertEquals(share, replica.share(), "the share each replica reports"));
        PoolRecord pool = PoolRecord.of("us-east-1_Cluster" + POOLS.incrementAndGet());
        Blocking.await(replicas.get(0).fixture.writer.write(pool, UserRecord.builder("alice").build()));
        int attempts = 3 * limit;
        int accepted = IntStream.range(0, attempts).parallel()
                .map(i -> replicas.get(i % replicas.size()).disable(pool.poolId()) ? 1 : 0)
                .sum();
        LOG.info("{} replicas accepted {} of {} requests under the cluster limit {}", replicas.size(), accepted, attempts, limit);
        assertEquals(share * replicas.size(), accepted);
        assertTrue(accepted <= limit, "accepted " + accepted + " over the cluster limit " + limit);
    }

    private void awaitEveryReplicaSees(int count) {
        Polling.await("every replica counting " + count + " replicas", FOLLOW_TIMEOUT,
                () -> replicas.stream().allMatch(replica -> replica.replicasSeen() == count));
    }

    private long registeredReplicas() {
        return replicas.get(0).fixture.redis.send(Command.ZCARD, new KeySchema("idp").replicas()).toLong();
    }

    private long redisNowMillis() {
        Response time = replicas.get(0).fixture.redis.send(Command.TIME);
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    private static long elapsedMillis(long sinceNanos) {
        return Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis();
    }
}
