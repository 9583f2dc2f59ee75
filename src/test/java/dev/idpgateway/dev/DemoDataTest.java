package dev.idpgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idpgateway.testing.RedisContents;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DemoDataTest {
    private final EmbeddedRedis server = EmbeddedRedis.builder().start();

    @AfterEach
    void stopRedis() {
        server.close();
    }

    @Test
    void seedsTheDemoPoolsAndDescribesThem(Vertx vertx, VertxTestContext test) {
        Redis client = Redis.createClient(vertx, server.url());
        DemoData.seed(new IdentityWriter(client))
                .compose(demo -> RedisContents.read(client).andThen(test.succeeding(redis -> test.verify(() -> {
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
                }))))
                .onComplete(test.succeedingThenComplete());
    }
}
