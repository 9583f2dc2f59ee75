package dev.idpgateway.redis;

import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The long-lived connection of an event loop: used for every command, and replaced when Redis drops it.
 * The test is one chain of futures on one event loop, as the gateway's handlers send their commands.
 */
@ExtendWith(VertxExtension.class)
class PipelinedRedisTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private final EmbeddedRedis server = EmbeddedRedis.builder().build().start();
    private Vertx vertx;
    private PipelinedRedis redis;

    /** The extension gives this method and the test the same Vertx, and closes it after the test. */
    @BeforeEach
    void connect(Vertx vertx) {
        this.vertx = vertx;
        RedisOptions options = new RedisOptions().setConnectionString(server.url());
        redis = new PipelinedRedis(Redis.createClient(vertx, options), Redis.createClient(vertx, options));
    }

    @AfterEach
    void close() {
        Blocking.await(redis.close());
        server.close();
    }

    @Test
    void anEventLoopKeepsOneConnectionAndReplacesItWhenRedisDropsIt(VertxTestContext test) {
        vertx.getOrCreateContext().runOnContext(onLoop -> clientId() // through the pool while the loop's connection is established
                .compose(viaPool -> until("the loop's own connection", liveConnections(1)))
                .compose(connected -> clientId())
                .compose(first -> clientId()
                        .andThen(test.succeeding(again -> test.verify(
                                () -> assertEquals(first, again, "the loop's commands share one connection"))))
                        .compose(shared -> kill(first))
                        .compose(killed -> until("the lost connection to be noticed", liveConnections(0)))
                        .compose(noticed -> redis.send(Request.cmd(Command.PING)))
                        .andThen(test.succeeding(pong -> test.verify(() -> assertEquals("PONG", pong.toString(),
                                "while the connection is being replaced, commands go through the pool"))))
                        // A command after the backoff starts the replacement.
                        .compose(viaPool -> until("a new connection for the loop",
                                () -> clientId().map(id -> redis.liveConnections() == 1)))
                        .compose(replacedConnection -> clientId())
                        .compose(replaced -> clientId().andThen(test.succeeding(again -> test.verify(() -> {
                            assertNotEquals(first, replaced);
                            assertEquals(replaced, again, "the new connection is kept");
                        })))))
                .onComplete(test.succeedingThenComplete()));
    }

    private Future<Long> clientId() {
        return redis.send(Request.cmd(Command.CLIENT).arg("ID")).map(Response::toLong);
    }

    /** Drops a connection from the server's side, as a Redis restart or a proxy's idle timeout does. */
    private Future<Void> kill(long clientId) {
        Redis other = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
        return other.send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(clientId))
                .eventually(other::close)
                .mapEmpty();
    }

    private Supplier<Future<Boolean>> liveConnections(int count) {
        return () -> Future.succeededFuture(redis.liveConnections() == count);
    }

    private Future<Void> until(String what, Supplier<Future<Boolean>> condition) {
        return Polling.until(vertx, what, PATIENCE, condition);
    }
}
