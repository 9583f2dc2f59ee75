package dev.idpgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idpgateway.store.KeySchema;
import dev.idpgateway.testing.RedisContents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each test writes through the writer and then reads what Redis holds, in one chain of futures. */
@ExtendWith(VertxExtension.class)
class IdentityWriterTest {
    private static final String POOL = "us-east-1_Writer1";
    private static EmbeddedRedis server;
    private Redis client;
    private IdentityWriter writer;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedis.builder().start();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    /** The extension gives this method and the test the same Vertx, and closes it (and the client) after the test. */
    @BeforeEach
    void connect(Vertx vertx, VertxTestContext test) {
        client = Redis.createClient(vertx, server.url());
        writer = new IdentityWriter(client);
        client.send(Request.cmd(Command.FLUSHALL)).onComplete(test.succeedingThenComplete());
    }

    /** Runs {@code check} on what Redis holds once {@code change} is done, and completes the test. */
    private void afterwards(VertxTestContext test, Future<?> change, Consumer<RedisContents> check) {
        change.compose(done -> RedisContents.read(client)).onComplete(test.succeeding(redis -> test.verify(() -> {
            check.accept(redis);
            test.completeNow();
        })));
    }

    @Test
    void writersKeyUsersAndAliasesByTheGatewaysFoldingRule(VertxTestContext test) {
        PoolRecord pool = PoolRecord.of(POOL).withCaseSensitive(false).withAliasAttributes("email");
        afterwards(test, writer.write(pool, UserRecord.builder("STRAẞE").sub("sub-1").email("ＫＡＴＥ@Example.com").build()), redis -> {
            assertTrue(redis.keys().contains("idp:user:{" + POOL + ":strasse}"));
            assertEquals("strasse", redis.get("idp:alias:{" + POOL + ":email:kate@example.com}"));
            assertEquals("STRAẞE", redis.hash("idp:user:{" + POOL + ":strasse}").get("username"), "the username as created");
        });
    }

    @Test
    void caseInsensitivePoolFoldsUserKeyAndEmailAndPreferredUsernameAliases(VertxTestContext test) {
        PoolRecord pool = PoolRecord.of(POOL).withCaseSensitive(false)
                .withAliasAttributes("email", "preferred_username").withUsernameAttributes("phone_number");
        UserRecord user = UserRecord.builder("Alice").sub("5f0c7e1a-0000-4000-8000-000000000001")
                .email("Alice@Example.COM").phoneNumber("+15550100").preferredUsername("Ally.B")
                .createdAt(1000).modifiedAt(2000).tokenIds("t1", "t2", "t3").build();
        long before = System.currentTimeMillis();

        afterwards(test, writer.write(pool, user), redis -> {
            String tag = "{" + POOL + ":alice}";
            assertEquals(Set.of(
                    "idp:pool:{" + POOL + "}",
                    "idp:user:" + tag,
                    "idp:tokens:" + tag,
                    "idp:token:" + tag + ":t1",
                    "idp:token:" + tag + ":t2",
                    "idp:token:" + tag + ":t3",
                    "idp:alias:{" + POOL + ":email:alice@example.com}",
                    "idp:alias:{" + POOL + ":preferred_username:ally.b}",
                    "idp:alias:{" + POOL + ":phone_number:+15550100}",
                    "idp:sub:{" + POOL + ":5f0c7e1a-0000-4000-8000-000000000001}"), redis.keys());

            assertEquals(Map.of(
                    "case_sensitive", "false",
                    "alias_attributes", "email,preferred_username",
                    "username_attributes", "phone_number"), redis.hash("idp:pool:{" + POOL + "}"));
            assertEquals(new TreeMap<>(Map.ofEntries(
                    Map.entry("username", "Alice"),
                    Map.entry("sub", "5f0c7e1a-0000-4000-8000-000000000001"),
                    Map.entry("enabled", "true"),
                    Map.entry("status", "CONFIRMED"),
                    Map.entry("email", "Alice@Example.COM"),
                    Map.entry("email_verified", "true"),
                    Map.entry("phone_number", "+15550100"),
                    Map.entry("phone_number_verified", "true"),
                    Map.entry("preferred_username", "Ally.B"),
                    Map.entry("created_at", "1000"),
                    Map.entry("modified_at", "2000"))), redis.hash("idp:user:" + tag));
            assertEquals(Set.of("t1", "t2", "t3"), redis.members("idp:tokens:" + tag));
            for (String id : Set.of("t1", "t2", "t3")) {
                String tokenKey = "idp:token:" + tag + ":" + id;
                long ttl = redis.ttl(tokenKey);
                assertTrue(ttl > 3500 && ttl <= 3600, "TTL " + ttl);
                long issuedAt = Long.parseLong(redis.get(tokenKey));
                assertTrue(issuedAt >= before && issuedAt <= System.currentTimeMillis());
            }
            assertEquals("alice", redis.get("idp:alias:{" + POOL + ":email:alice@example.com}"));
            assertEquals("alice", redis.get("idp:alias:{" + POOL + ":preferred_username:ally.b}"));
            assertEquals("alice", redis.get("idp:alias:{" + POOL + ":phone_number:+15550100}"));
            assertEquals("alice", redis.get("idp:sub:{" + POOL + ":5f0c7e1a-0000-4000-8000-000000000001}"));
        });
    }

    @Test
    void writesEveryAttributeAndIndexesOnlyVerifiedAliases(VertxTestContext test) {
        PoolRecord pool = PoolRecord.of(POOL).withAliasAttributes("email", "phone_number");
        UserRecord user = UserRecord.builder("erin").sub("sub-erin").email("erin@example.com")
                .attribute("email_verified", "false").phoneNumber("+15550199")
                .attribute("given_name", "Erin").attribute("custom:tenant", "acme").build();

        afterwards(test, writer.write(pool, user), redis -> {
            Map<String, String> hash = redis.hash("idp:user:{" + POOL + ":erin}");
            assertEquals("false", hash.get("email_verified"));
            assertEquals("true", hash.get("phone_number_verified"));
            assertEquals("Erin", hash.get("given_name"));
            assertEquals("acme", hash.get("custom:tenant"));
            assertEquals(null, redis.get("idp:alias:{" + POOL + ":email:erin@example.com}"));
            assertEquals("erin", redis.get("idp:alias:{" + POOL + ":phone_number:+15550199}"));
        });
    }

    @Test
    void caseSensitivePoolKeepsCaseAndIndexesOnlyAllowedAttributes(VertxTestContext test) {
        PoolRecord pool = PoolRecord.of(POOL).withAliasAttributes("email");
        UserRecord user = UserRecord.builder("Bob").sub("sub-bob").email("Bob@Example.com")
                .preferredUsername("Bobby").disabled().status("UNCONFIRMED").tokens(2).build();

        afterwards(test, writer.write(pool, user), redis -> {
            String tag = "{" + POOL + ":Bob}";
            Set<String> keys = redis.keys();
            // The pool, the hash, the token index, 2 tokens, the email alias (no preferred_username: not allowed), the sub.
            assertEquals(7, keys.size(), keys.toString());
            assertTrue(keys.containsAll(Set.of(
                    "idp:pool:{" + POOL + "}",
                    "idp:user:" + tag,
                    "idp:tokens:" + tag,
                    "idp:alias:{" + POOL + ":email:Bob@Example.com}",
                    "idp:sub:{" + POOL + ":sub-bob}")), keys.toString());
            for (String id : user.tokenIds()) {
                assertTrue(keys.contains("idp:token:" + tag + ":" + id), keys.toString());
            }
            assertEquals(Map.of("case_sensitive", "true", "alias_attributes", "email"),
                    redis.hash("idp:pool:{" + POOL + "}"));
            Map<String, String> hash = redis.hash("idp:user:" + tag);
            assertEquals("false", hash.get("enabled"));
            assertEquals("UNCONFIRMED", hash.get("status"));
            assertEquals("Bob", redis.get("idp:alias:{" + POOL + ":email:Bob@Example.com}"));
        });
    }

    @Test
    void userWithoutTokensHasNoTokenIndex(VertxTestContext test) {
        PoolRecord pool = PoolRecord.of(POOL);
        UserRecord user = UserRecord.builder("carol").build();

        afterwards(test, writer.write(pool, user), redis -> {
            assertEquals(Set.of("idp:pool:{" + POOL + "}", "idp:user:{" + POOL + ":carol}",
                    "idp:sub:{" + POOL + ":" + user.sub() + "}"), redis.keys());
        });
    }

    @Test
    void writesManyUsersThroughAPooledClient(VertxTestContext test) {
        PoolRecord pool = PoolRecord.of(POOL);
        var users = java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> UserRecord.builder("u" + i).tokens(1).build()).toList();

        afterwards(test, writer.write(pool, users), redis -> {
            assertEquals(1 + 300 * 4, redis.size());
        });
    }

    @Test
    void addTokenWritesIndexEntryAndKeyWithTtl(VertxTestContext test) {
        PoolRecord pool = PoolRecord.of(POOL).withCaseSensitive(false);
        Future<Void> written = writer.write(pool, UserRecord.builder("Dora").tokenIds("t1").build());

        afterwards(test, written.compose(first -> writer.addToken(pool, "DORA", "t2")), redis -> {
            String tag = "{" + POOL + ":dora}";
            assertEquals(Set.of("t1", "t2"), redis.members("idp:tokens:" + tag));
            long ttl = redis.ttl("idp:token:" + tag + ":t2");
            assertTrue(ttl > 3500 && ttl <= 3600, "TTL " + ttl);
        });
    }

    @Test
    void writesThroughOneConnectionWithOwnPrefixAndTtl(VertxTestContext test) {
        PoolRecord pool = PoolRecord.of(POOL);
        Future<Void> written = client.connect().compose(connection ->
                new IdentityWriter(connection, new KeySchema("test"), Duration.ofSeconds(60))
                        .write(pool, UserRecord.builder("erin").tokenIds("t1").build())
                        .eventually(connection::close));

        afterwards(test, written, redis -> {
            assertTrue(redis.keys().stream().allMatch(key -> key.startsWith("test:")), redis.keys().toString());
            long ttl = redis.ttl("test:token:{" + POOL + ":erin}:t1");
            assertTrue(ttl > 0 && ttl <= 60, "TTL " + ttl);
            assertFalse(redis.hash("test:user:{" + POOL + ":erin}").isEmpty());
        });
    }
}
