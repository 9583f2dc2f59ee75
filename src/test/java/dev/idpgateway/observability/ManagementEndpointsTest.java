package dev.idpgateway.observability;

import dev.idpgateway.testing.Polling;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Blocking;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The management port against a real gateway and Redis: health that follows Redis, metrics that follow traffic. */
class ManagementEndpointsTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Metrics");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start(Map.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void readinessFollowsRedisWhileLivenessStaysUp() {
        Polling.await("ready", PATIENCE, () -> HttpProbe.status(management("/health/ready")) == 200);

        gateway.redisServer.stop();
        Polling.await("not ready without Redis", PATIENCE, () -> HttpProbe.status(management("/health/ready")) == 503);
        assertEquals(200, HttpProbe.status(management("/health/live")));

        gateway.redisServer.start();
        Polling.await("ready again", PATIENCE, () -> HttpProbe.status(management("/health/ready")) == 200);
    }

    @Test
    void metricsCountRequestsByOperationAndOutcomeAndTimeRedis() {
        Blocking.await(gateway.writer.write(POOL, UserRecord.builder("metered").tokens(3).build()));
        String before = HttpProbe.body(management("/metrics"));

        disable(POOL.poolId(), "metered");
        disable(POOL.poolId(), "nobody-here");
        HttpProbe.send(HttpProbe.operation(gateway.endpoint(), "NoSuchOperation", "{}").build());

        String after = HttpProbe.body(management("/metrics"));
        assertIncreasedBy(1, before, after, "idp_requests_seconds_count{operation=\"AdminDisableUser\",outcome=\"Success\"}");
        assertIncreasedBy(1, before, after,
                "idp_requests_seconds_count{operation=\"AdminDisableUser\",outcome=\"UserNotFoundException\"}");
        assertIncreasedBy(1, before, after, "idp_requests_seconds_count{operation=\"Unknown\",outcome=\"UnknownOperationException\"}");
        assertIncreasedBy(3, before, after, "idp_tokens_revoked_total{update=\"disable\"}");
        assertTrue(value(after, "idp_redis_commands_seconds_count{command=\"evalsha\",outcome=\"success\"}") >= 1, after);
        for (String family : new String[]{"idp_requests_seconds_bucket", "idp_throttled_requests_total",
                "jvm_memory_used_bytes", "jvm_gc_", "process_cpu_usage", "vertx_http_server_requests_total",
                "vertx_pool_in_use{pool_name=\"idp-redis-pipelined\",pool_type=\"redis\"}"}) {
            assertTrue(after.contains(family), "missing " + family);
        }
        // No label carries a username: the only per-request label values are operation and outcome names.
        assertTrue(!after.contains("metered") && !after.contains("nobody-here"), "a username reached the metrics");
    }

    private static void disable(String poolId, String username) {
        HttpProbe.send(HttpProbe.operation(gateway.endpoint(), "AdminDisableUser",
                "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + username + "\"}").build());
    }

    private static java.net.URI management(String path) {
        return gateway.managementEndpoint().resolve(path);
    }

    private static void assertIncreasedBy(double expected, String before, String after, String series) {
        assertEquals(expected, value(after, series) - value(before, series), series);
    }

    /** The sample's value in a Prometheus text exposition; 0 when the series is not there yet. */
    private static double value(String exposition, String series) {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }
}
