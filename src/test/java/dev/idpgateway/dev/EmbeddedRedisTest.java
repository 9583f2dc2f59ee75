package dev.idpgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedRedisTest {
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        BlockingRedis.await(vertx.close());
    }

    @Test
    void startsOnAFreeLoopbackPortAndCleansUpOnClose() {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        Path workDir = redis.workDir();
        try (BlockingRedis client = new BlockingRedis(vertx, redis.url())) {
            assertTrue(redis.port() > 0);
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
            assertEquals("PONG", client.send(Command.PING).toString());
            assertEquals("", client.send(Command.CONFIG, "GET", "save").get("save").toString());
            assertEquals("127.0.0.1", client.send(Command.CONFIG, "GET", "bind").get("bind").toString());
        }
        redis.close();
        assertFalse(redis.isRunning());
        assertFalse(Files.exists(workDir));
    }

    @Test
    void aofDataSurvivesKillAndRestartOnTheSamePort() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder()
                .serverArgs("--appendonly", "yes", "--appendfsync", "always").start()) {
            int port = redis.port();
            try (BlockingRedis client = new BlockingRedis(vertx, redis.url())) {
                client.send(Command.SET, "survivor", "v1");
            }

            redis.kill();
            assertFalse(redis.isRunning());
            redis.start();

            assertEquals(port, redis.port());
            try (BlockingRedis client = new BlockingRedis(vertx, redis.url())) {
                assertEquals("v1", client.get("survivor"));
            }
        }
    }

    @Test
    void stopIsGracefulAndStartBringsItBack() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {
            int port = redis.port();
            try (BlockingRedis client = new BlockingRedis(vertx, redis.url())) {
                client.send(Command.SET, "volatile", "v1");
            }

            redis.stop();
            assertFalse(redis.isRunning());
            try (BlockingRedis client = new BlockingRedis(vertx, redis.url())) {
                assertThrows(Exception.class, () -> client.send(Command.PING));
            }

            redis.start();
            assertEquals(port, redis.port());
            try (BlockingRedis client = new BlockingRedis(vertx, redis.url())) {
                // No persistence by default (--save ""), so a stop loses the data.
                assertNull(client.get("volatile"));
            }
        }
    }

    @Test
    void startsInClusterMode() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().serverArgs("--cluster-enabled", "yes").start();
             BlockingRedis client = new BlockingRedis(vertx, redis.url())) {
            assertTrue(client.send(Command.INFO, "cluster").toString().contains("cluster_enabled:1"));
            assertTrue(Files.exists(redis.workDir().resolve("nodes.conf")));
        }
    }

    @Test
    void aServerThatCannotStartFailsWithItsOutput() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> EmbeddedRedis.builder().serverArgs("--no-such-directive", "x")
                        .startTimeout(Duration.ofSeconds(10)).start());
        assertTrue(failure.getMessage().contains("exited with code"), failure.getMessage());
        assertTrue(failure.getMessage().contains("no-such-directive"), failure.getMessage());
    }

    @Test
    void aTakenFixedPortIsReportedClearly() {
        try (EmbeddedRedis first = EmbeddedRedis.builder().start()) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> EmbeddedRedis.builder().port(first.port()).start());
            assertTrue(failure.getMessage().contains("Address already in use"), failure.getMessage());
        }
    }
}
