package dev.idpgateway.redis;

import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.observability.Polling;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The long-lived connection of an event loop: used for every command, and replaced when Redis drops it. */
class PipelinedRedisTest {
    private final EmbeddedRedis server = EmbeddedRedis.builder().build().start();
    private final Vertx vertx = Vertx.vertx();
    private Redis redis;
    private Context loop;

    @BeforeEach
    void connect() {
        RedisOptions options = new RedisOptions().setConnectionString(server.url());
        redis = new PipelinedRedis(Redis.createClient(vertx, options), Redis.createClient(vertx, options));
        loop = vertx.getOrCreateContext();
    }

    @AfterEach
    void close() throws Exception {
        redis.close().await();
        vertx.close().await();
        server.close();
    }

    @Test
    void anEventLoopKeepsOneConnectionAndReplacesItWhenRedisDropsIt() throws Exception {
        PipelinedRedis pipelined = (PipelinedRedis) redis;
        clientId(); // the first command goes through the pool while the loop's connection is established
        Polling.await("the loop's own connection", Duration.ofSeconds(10), () -> pipelined.liveConnections() == 1);
        long first = clientId();
        assertEquals(first, clientId(), "the loop's commands share one connection");

        Redis other = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
        other.send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(first)).await(5, TimeUnit.SECONDS);
        other.close();
        Polling.await("the lost connection to be noticed", Duration.ofSeconds(10), () -> pipelined.liveConnections() == 0);
        assertEquals("PONG", onLoop(() -> redis.send(Request.cmd(Command.PING))).toString(),
                "while the connection is being replaced, commands go through the pool");

        // A command after the backoff starts the replacement.
        Polling.await("a new connection for the loop", Duration.ofSeconds(10), () -> {
            clientId();
            return pipelined.liveConnections() == 1;
        });
        long replaced = clientId();
        assertNotEquals(first, replaced);
        assertEquals(replaced, clientId(), "the new connection is kept");
    }

    private long clientId() {
        return onLoop(() -> redis.send(Request.cmd(Command.CLIENT).arg("ID"))).toLong();
    }

    /** Runs a command from the event loop, as the gateway's handlers do, and waits for its reply. */
    private Response onLoop(Supplier<Future<Response>> command) {
        Promise<Response> reply = Promise.promise();
        loop.runOnContext(ignored -> command.get().onComplete(reply));
        try {
            return reply.future().await(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no reply within 5 s", e);
        }
    }
}
