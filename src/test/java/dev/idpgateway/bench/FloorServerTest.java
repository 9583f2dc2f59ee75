package dev.idpgateway.bench;

import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.dev.Seeder;
import dev.idpgateway.store.KeySchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark's floor server does the disable through the gateway's store and answers as the gateway would. */
class FloorServerTest {
    private static final String POOL = "us-east-1_Floor";
    private static final long TIMEOUT_SECONDS = 30;

    private final EmbeddedRedis redis = EmbeddedRedis.builder().build().start();
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        redis.close();
    }

    @Test
    void disablesThroughTheStoreAndAnswersAwsErrors() throws Exception {
        Seeder.run(redis.url(), POOL, 2, 3);
        GatewayConfig config = new ConfigLoader().load(Map.of("IDP_REDIS_URL", redis.url(), "IDP_AUTH", "none"));
        int port = freePort();
        FloorServer.start(vertx, port, config).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/");

        HttpResponse<String> disabled = post(endpoint, "{\"UserPoolId\":\"" + POOL + "\",\"Username\":\"" + Seeder.username(1) + "\"}");
        HttpResponse<String> missing = post(endpoint, "{\"UserPoolId\":\"" + POOL + "\",\"Username\":\"ghost\"}");
        HttpResponse<String> malformed = post(endpoint, "{\"UserPoolId\":");

        assertEquals(200, disabled.statusCode());
        assertEquals("{}", disabled.body());
        assertEquals(400, missing.statusCode());
        assertEquals("UserNotFoundException", new JsonObject(missing.body()).getString("__type"));
        assertEquals("SerializationException", new JsonObject(malformed.body()).getString("__type"));
        assertEquals("false", enabled(Seeder.username(1)), "the user the floor server disabled");
        assertEquals("true", enabled(Seeder.username(2)), "a user it was not asked to disable");
        JsonObject outcomes = new JsonObject(http.send(HttpRequest.newBuilder(endpoint.resolve("/outcomes")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(new JsonObject().put("Success", 1).put("UserNotFoundException", 1).put("SerializationException", 1),
                outcomes);
    }

    private HttpResponse<String> post(URI endpoint, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The user's {@code enabled} field as stored (the seeded usernames are their own user keys). */
    private String enabled(String username) throws TimeoutException {
        return Redis.createClient(vertx, redis.url())
                .send(Request.cmd(Command.HGET).arg(new KeySchema("idp").user(POOL, username)).arg("enabled"))
                .await(TIMEOUT_SECONDS, TimeUnit.SECONDS).toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
