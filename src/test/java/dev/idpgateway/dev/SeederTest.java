package dev.idpgateway.dev;

import static dev.idpgateway.dev.BlockingRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SeederTest {
    private static final String POOL = "us-east-1_Seed1";
    private static EmbeddedRedis server;
    private static Vertx vertx;
    private static BlockingRedis redis;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedis.builder().start();
        vertx = Vertx.vertx();
        redis = new BlockingRedis(vertx, server.url());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        await(vertx.close());
        server.close();
    }

    @BeforeEach
    void empty() {
        redis.flushAll();
    }

    @Test
    void seedsUsersWithTokensPerTheContract() {
        SeedResult result = await(new Seeder(vertx).seed(server.url(), POOL, 2_000, 3));

        assertEquals(2_000, result.users());
        assertEquals(6_000, result.tokens());
        assertTrue(result.toString().contains("2000 users, 6000 tokens"), result.toString());
        // The pool, and per user: hash, token index, 3 tokens, email alias, sub index.
        assertEquals(1 + 2_000 * 7, redis.dbSize());
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
    }

    @Test
    void seedsUsersWithoutTokens() {
        SeedResult result = await(new Seeder(vertx).seed(server.url(), POOL, 10, 0));

        assertEquals(0, result.tokens());
        assertEquals(1 + 10 * 3, redis.dbSize());
    }
}
