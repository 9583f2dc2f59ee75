package dev.idpgateway.dev;

import static dev.idpgateway.dev.BlockingRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.Test;

class DemoDataTest {

    @Test
    void seedsTheDemoPoolsAndDescribesThem() {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRedis server = EmbeddedRedis.builder().start();
             BlockingRedis redis = new BlockingRedis(vertx, server.url())) {
            Redis client = Redis.createClient(vertx, server.url());

            DemoData demo = await(DemoData.seed(new IdentityWriter(client)));

            String pool = demo.pool().poolId();
            String other = demo.caseSensitivePool().poolId();
            assertTrue(pool.matches("[\\w-]+_[0-9a-zA-Z]+") && other.matches("[\\w-]+_[0-9a-zA-Z]+"));
            assertEquals("alice", demo.demoUsername());
            assertEquals(3, redis.members("idp:tokens:{" + pool + ":alice}").size());
            assertEquals("email,preferred_username", redis.hash("idp:pool:{" + pool + "}").get("alias_attributes"));
            assertEquals("false", redis.hash("idp:pool:{" + pool + "}").get("case_sensitive"));
            assertEquals("bob", redis.get("idp:alias:{" + pool + ":email:bob@example.com}"));
            assertEquals("false", redis.hash("idp:user:{" + pool + ":carol}").get("enabled"));
            assertEquals("Dave", redis.hash("idp:user:{" + other + ":Dave}").get("username"));
            assertEquals("dave", redis.hash("idp:user:{" + other + ":dave}").get("username"));
            assertTrue(demo.toString().contains("carol (0 tokens, disabled)"), demo.toString());
            await(client.close());
        } finally {
            await(vertx.close());
        }
    }
}
