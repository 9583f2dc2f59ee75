package dev.idpgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idpgateway.testing.RedisContents;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each test seeds and then reads what Redis holds, in one chain of futures. */
@ExtendWith(VertxExtension.class)
class SeederTest {
    private static final String POOL = "us-east-1_Seed1";
    private static EmbeddedRedis server;
    private Vertx vertx;
    private Redis client;

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
    void empty(Vertx vertx, VertxTestContext test) {
        this.vertx = vertx;
        client = Redis.createClient(vertx, server.url());
        client.send(Request.cmd(Command.FLUSHALL)).onComplete(test.succeedingThenComplete());
    }

    @Test
    void seedsUsersWithTokensPerTheContract(VertxTestContext test) {
        new Seeder(vertx).seed(server.url(), POOL, 2_000, 3)
                .compose(result -> RedisContents.read(client).andThen(test.succeeding(redis -> test.verify(() -> {
                    assertEquals(2_000, result.users());
                    assertEquals(6_000, result.tokens());
                    assertTrue(result.toString().contains("2000 users, 6000 tokens"), result.toString());
                    // The pool, and per user: hash, token index, 3 tokens, email alias, sub index.
                    assertEquals(1 + 2_000 * 7, redis.size());
                    assertEquals(Map.of("case_sensitive", "false", "alias_attributes", "email"),
                            redis.hash("idp:pool:{" + POOL + "}"));
                    for (String username : new String[] {"user-0000001", "user-0001000", "user-0002000"}) {
                        String tag = "{" + POOL + ":" + username + "}";
                        Map<String, String> user = redis.hash("idp:user:" + tag);
                        assertEquals(username, user.get("username"));
                        assertEquals(username + "@example.com", user.get("email"));
                        assertEquals("true", user.get("enabled"));
                        assertEquals(username, redis.get("idp:sub:{" + POOL + ":" + user.get("sub") + "}"));
                        assertEquals(username, redis.get("idp:alias:{" + POOL + ":email:" + username + "@example.com}"));
                        var tokenIds = redis.members("idp:tokens:" + tag);
                        assertEquals(3, tokenIds.size());
                        for (String tokenId : tokenIds) {
                            assertTrue(redis.ttl("idp:token:" + tag + ":" + tokenId) > 0);
                        }
                    }
                    assertNull(redis.get("idp:alias:{" + POOL + ":email:user-0002001@example.com}"));
                }))))
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void seedsUsersWithoutTokens(VertxTestContext test) {
        new Seeder(vertx).seed(server.url(), POOL, 10, 0)
                .compose(result -> RedisContents.read(client).andThen(test.succeeding(redis -> test.verify(() -> {
                    assertEquals(0, result.tokens());
                    assertEquals(1 + 10 * 3, redis.size());
                }))))
                .onComplete(test.succeedingThenComplete());
    }
}
