package dev.idpgateway.operation;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.http.GatewayUnderTest;
import io.micrometer.core.instrument.Timer;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Redis work of one request, counted without MONITOR: the commands the gateway sends (its own
 * {@code idp.redis.commands} series) and, on standalone, what Redis ran (INFO commandstats deltas).
 * Where one node holds every key a disable by username is one EVALSHA whose script also writes the
 * audit event; a name found through an index, or naming two accounts, takes the general path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class RedisRoundTripsTest {
    /**
     * The commands that resolve and change a user. Others are not counted: probes run beside the tests, and
     * the pool's settings (HGETALL) are read once per pool and then cached.
     */
    private static final Set<String> USER_COMMANDS = Set.of("evalsha", "eval", "exists", "get", "hmget", "xadd", "BATCH");

    @RegisterExtension
    final GatewayUnderTest gateway = new GatewayUnderTest(this::startGateway);

    /** The gateway the suite runs against; a subclass runs the same suite on Redis Cluster. */
    protected GatewayFixture startGateway() {
        return GatewayFixture.start();
    }

    /** Whether one node holds every key, so that the script resolves the name and writes the event itself. */
    protected boolean oneNode() {
        return true;
    }

    /** A pool that allows email aliases, with carol (indexed by her email and sub) and dave. */
    private PoolRecord poolWithAliases() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool,
                UserRecord.builder("carol").sub("sub-carol").email("carol@example.com").tokenIds("t0", "t1").build(),
                UserRecord.builder("dave").sub("sub-dave").email("dave@example.com").build());
        return pool;
    }

    private void disable(PoolRecord pool, String username) {
        gateway.cognito().adminDisableUser(b -> b.userPoolId(pool.poolId()).username(username));
    }

    @Test
    void aDisableByUsernameIsOneScriptThatAlsoWritesTheAuditEvent() {
        PoolRecord pool = poolWithAliases();
        Map<String, Long> sentBefore = sentByGateway();
        Map<String, Long> ranBefore = ranByRedis();

        disable(pool, "carol");

        Map<String, Long> sent = delta(sentBefore, sentByGateway());
        if (oneNode()) {
            assertEquals(Map.of("script", 1L), sent);
            Map<String, Long> ran = delta(ranBefore, ranByRedis());
            assertEquals(1L, ran.get("evalsha"));
            // One HSET for enabled, modified_at and tokens_revoked_at; the sub read answers that carol exists.
            assertEquals(1L, ran.get("hset"));
            assertEquals(null, ran.get("exists"));
            // The script wrote the event: the gateway sent no XADD.
            assertEquals(1L, ran.get("xadd"));
            // The email and sub indexes, read by the script.
            assertEquals(2L, ran.get("get"));
        } else {
            // Cluster: the candidates read (EXISTS, GET of the email and sub indexes), the script, the event.
            assertEquals(Map.of("exists", 1L, "get", 2L, "script", 1L, "xadd", 1L), sent);
        }
        Map<String, String> event = gateway.lastEvent(pool);
        assertEquals("AdminDisableUser", event.get("operation"));
        assertEquals("carol", event.get("user_key"));
        assertEquals("sub-carol", event.get("sub"));
        assertEquals("2", event.get("tokens_revoked"));
        assertEquals(gateway.user(pool, "carol").get("tokens_revoked_at"), event.get("time"));
        assertEquals("false", gateway.user(pool, "carol").get("enabled"));
    }

    @Test
    void anUnknownNameIsOneScriptOnOneNode() {
        PoolRecord pool = poolWithAliases();
        Map<String, Long> before = sentByGateway();

        assertThrows(UserNotFoundException.class, () -> disable(pool, "nobody"));

        Map<String, Long> sent = delta(before, sentByGateway());
        assertEquals(oneNode() ? Map.of("script", 1L) : Map.of("exists", 1L, "get", 2L), sent);
        assertEquals(List.of(), gateway.events(pool));
    }

    @Test
    void aNameFoundThroughAnIndexTakesTheGeneralPath() {
        PoolRecord pool = poolWithAliases();
        Map<String, Long> before = sentByGateway();

        disable(pool, "dave@example.com");

        Map<String, Long> sent = delta(before, sentByGateway());
        // One node: the script answers that an index names another account, then the general path runs.
        assertEquals(oneNode() ? Map.of("script", 2L, "exists", 1L, "get", 2L)
                : Map.of("script", 1L, "exists", 1L, "get", 2L, "xadd", 1L), sent);
        assertEquals("false", gateway.user(pool, "dave").get("enabled"));
        assertEquals("true", gateway.user(pool, "carol").get("enabled"));
        Map<String, String> event = gateway.lastEvent(pool);
        assertEquals("dave", event.get("user_key"));
        assertEquals("sub-dave", event.get("sub"));
        assertEquals(1, gateway.events(pool).size());
    }

    @Test
    void aNameOfTwoAccountsIsRefusedAndNothingChanges() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        // erin's email is frank's username: against Cognito's rule, so the gateway refuses to choose.
        gateway.write(pool, UserRecord.builder("erin").sub("sub-erin").email("frank").tokenIds("t0").build(),
                UserRecord.builder("frank").sub("sub-frank").tokenIds("t0").build());

        assertThrows(InvalidParameterException.class, () -> disable(pool, "frank"));

        assertEquals("true", gateway.user(pool, "erin").get("enabled"));
        assertEquals("true", gateway.user(pool, "frank").get("enabled"));
        assertEquals(1, gateway.tokenKeys(pool, "frank").size());
        assertEquals(List.of(), gateway.events(pool));
    }

    /**
     * How many of each user command the gateway has sent and Redis answered, EVALSHA and EVAL together as
     * {@code script}: a master that has not cached a script yet answers EVALSHA with NOSCRIPT (an error,
     * not counted), and the store sends EVAL instead.
     */
    private Map<String, Long> sentByGateway() {
        Map<String, Long> counts = new HashMap<>();
        for (Timer timer : gateway.fixture().telemetry.registry().find("idp.redis.commands").tag("outcome", "success").timers()) {
            String command = timer.getId().getTag("command");
            if (USER_COMMANDS.contains(command)) {
                counts.merge(command.startsWith("eval") ? "script" : command, timer.count(), Long::sum);
            }
        }
        return counts;
    }

    /** How many of each command Redis has run, those run by scripts included (INFO commandstats). */
    private Map<String, Long> ranByRedis() {
        Map<String, Long> counts = new HashMap<>();
        for (String line : gateway.redis(Command.INFO, "commandstats").toString().split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String calls = line.substring(line.indexOf("calls=") + "calls=".length(), line.indexOf(','));
                counts.put(line.substring("cmdstat_".length(), line.indexOf(':')), Long.parseLong(calls));
            }
        }
        return counts;
    }

    /** The counts that grew, by how much. */
    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> grown = new HashMap<>();
        after.forEach((command, count) -> {
            long growth = count - before.getOrDefault(command, 0L);
            if (growth > 0) {
                grown.put(command, growth);
            }
        });
        return grown;
    }
}
