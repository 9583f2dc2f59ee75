package dev.idpgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server process as tests use it. Its commands go through the asynchronous client, in one chain of
 * futures per test; starting, stopping and killing the process block, so they run on a worker thread.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedRedisTest {
    private Vertx vertx;

    /** The extension gives this method and the test the same Vertx, and closes it after the test. */
    @BeforeEach
    void startVertx(Vertx vertx) {
        this.vertx = vertx;
    }

    @Test
    void startsOnAFreeLoopbackPortAndCleansUpOnClose(VertxTestContext test) {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        Path workDir = redis.workDir();
        Redis client = Redis.createClient(vertx, redis.url());
        Future.all(send(client, Command.PING), send(client, Command.CONFIG, "GET", "save"),
                        send(client, Command.CONFIG, "GET", "bind"))
                .andThen(test.succeeding(replies -> test.verify(() -> {
                    assertTrue(redis.port() > 0);
                    assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
                    assertEquals("PONG", replies.<Response>resultAt(0).toString());
                    assertEquals("", replies.<Response>resultAt(1).get("save").toString());
                    assertEquals("127.0.0.1", replies.<Response>resultAt(2).get("bind").toString());
                })))
                .compose(checked -> client.close())
                .compose(closed -> blocking(() -> {
                    redis.close();
                    return null;
                }))
                .andThen(test.succeeding(closed -> test.verify(() -> {
                    assertFalse(redis.isRunning());
                    assertFalse(Files.exists(workDir));
                })))
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void aofDataSurvivesKillAndRestartOnTheSamePort(VertxTestContext test) {
        EmbeddedRedis redis = EmbeddedRedis.builder().serverArgs("--appendonly", "yes", "--appendfsync", "always").start();
        int port = redis.port();
        Redis client = Redis.createClient(vertx, redis.url());
        send(client, Command.SET, "survivor", "v1")
                .compose(set -> blocking(() -> {
                    redis.kill();
                    assertFalse(redis.isRunning());
                    redis.start();
                    return redis.port();
                }))
                .compose(restartedOn -> send(client, Command.GET, "survivor").andThen(test.succeeding(value -> test.verify(() -> {
                    assertEquals(port, restartedOn);
                    assertEquals("v1", value.toString());
                }))))
                .eventually(() -> blocking(() -> {
                    redis.close();
                    return null;
                }))
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void stopIsGracefulAndStartBringsItBack(VertxTestContext test) {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        int port = redis.port();
        Redis client = Redis.createClient(vertx, redis.url());
        send(client, Command.SET, "volatile", "v1")
                .compose(set -> blocking(() -> {
                    redis.stop();
                    return redis.isRunning();
                }))
                .compose(running -> send(client, Command.PING).transform(ping -> {
                    test.verify(() -> {
                        assertFalse(running);
                        assertTrue(ping.failed(), "a stopped server answered " + ping.result());
                    });
                    return Future.<Void>succeededFuture();
                }))
                .compose(refused -> blocking(() -> {
                    redis.start();
                    return redis.port();
                }))
                .compose(restartedOn -> send(client, Command.GET, "volatile").andThen(test.succeeding(value -> test.verify(() -> {
                    assertEquals(port, restartedOn);
                    // No persistence by default (--save ""), so a stop loses the data.
                    assertNull(value);
                }))))
                .eventually(() -> blocking(() -> {
                    redis.close();
                    return null;
                }))
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void startsInClusterMode(VertxTestContext test) {
        EmbeddedRedis redis = EmbeddedRedis.builder().serverArgs("--cluster-enabled", "yes").start();
        send(Redis.createClient(vertx, redis.url()), Command.INFO, "cluster")
                .andThen(test.succeeding(info -> test.verify(() -> {
                    assertTrue(info.toString().contains("cluster_enabled:1"));
                    assertTrue(Files.exists(redis.workDir().resolve("nodes.conf")));
                })))
                .eventually(() -> blocking(() -> {
                    redis.close();
                    return null;
                }))
                .onComplete(test.succeedingThenComplete());
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

    private static Future<Response> send(Redis client, Command command, Object... args) {
        return client.send(Request.cmd(command, args));
    }

    /** Process control blocks: on a worker thread, never the event loop. */
    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work);
    }
}
