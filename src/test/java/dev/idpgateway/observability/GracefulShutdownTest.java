package dev.idpgateway.observability;

import dev.idpgateway.testing.Polling;
import dev.idpgateway.cli.MainProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idpgateway.dev.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a real gateway process while a burst of requests is in flight: readiness fails at once,
 * every request already accepted gets its complete response, and the process exits with 0. Redis is
 * held busy by a long script so that the burst is certainly in flight when the signal arrives.
 */
class GracefulShutdownTest {
    private static final int BURST = 40;
    private static final String USERNAME = "drained-user-name";
    /** Keeps Redis busy for about 3 seconds (below its 5 s busy-script threshold). */
    private static final String BUSY_SCRIPT = "local s = redis.call('TIME') local t = s "
            + "while (t[1] - s[1]) * 1000000 + (t[2] - s[2]) < 3000000 do t = redis.call('TIME') end return 1";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path work;
    private EmbeddedRedis redis;
    private Process gateway;

    @AfterEach
    void cleanUp() {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void sigtermDrainsAcceptedRequestsAndExitsNormally() throws Exception {
        redis = EmbeddedRedis.builder().start();
        // Kept under target/ to read when this test fails.
        Path log = Files.createDirectories(Path.of("target", "graceful-shutdown")).resolve("gateway.log");
        gateway = startGateway(log);
        MainProcess.Ports ports = MainProcess.awaitPorts(gateway, log, PATIENCE);
        URI api = URI.create("http://127.0.0.1:" + ports.api() + "/");
        URI management = URI.create("http://127.0.0.1:" + ports.management());
        Polling.await("the gateway process to be ready", PATIENCE,
                () -> HttpProbe.status(management.resolve("/health/ready")) == 200);

        // Held open, Redis stays busy, so that the burst is still in flight when SIGTERM comes.
        Socket busy = holdRedisBusy();
        try {
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> HttpProbe.send(HttpProbe.operation(api, "AdminDisableUser",
                        "{\"UserPoolId\":\"us-east-1_Drain\",\"Username\":\"" + USERNAME + "\"}").build())));
            }
            Polling.await("the burst to be in flight", PATIENCE,
                    () -> activeServerRequests(management) >= BURST);

            gateway.destroy(); // SIGTERM
            Polling.await("readiness to fail", PATIENCE, () -> HttpProbe.status(management.resolve("/health/ready")) == 503);
            assertFalse(burst.stream().allMatch(CompletableFuture::isDone), "readiness must fail before the drain ends");

            for (CompletableFuture<HttpResponse<String>> request : burst) {
                HttpResponse<String> response = request.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(400, response.statusCode(), response.body());
                assertTrue(response.headers().firstValue("x-amzn-RequestId").isPresent());
                assertTrue(response.body().contains("ResourceNotFoundException"), response.body());
            }
        } finally {
            busy.close();
        }
        assertTrue(gateway.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the gateway did not exit");
        assertEquals(0, gateway.exitValue(), Files.readString(log));
        assertAccessLog(Files.readAllLines(log));
    }

    /** One JSON object per line; one line per request naming operation, pool, outcome, never the username. */
    private static void assertAccessLog(List<String> lines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        int requests = 0;
        for (String line : lines) {
            JsonNode entry = json.readTree(line);
            assertTrue(entry.has("time") && entry.has("level") && entry.has("message"), line);
            assertFalse(line.contains(USERNAME), "the username was logged: " + line);
            if (entry.path("logger").asText().equals(RequestObserver.ACCESS_LOGGER)) {
                requests++;
                assertEquals("AdminDisableUser", entry.path("operation").asText(), line);
                assertEquals("us-east-1_Drain", entry.path("pool").asText(), line);
                assertEquals("ResourceNotFoundException", entry.path("outcome").asText(), line);
                assertTrue(entry.has("request_id") && entry.has("latency_ms") && entry.has("principal"), line);
            }
        }
        assertEquals(BURST, requests, "access log lines");
    }

    private Process startGateway(Path log) throws IOException {
        Path config = work.resolve("gateway.yaml");
        // Redis is held busy on purpose: commands must outlast that, not time out.
        Files.writeString(config, "redis:\n  commandTimeout: 20s\nhttp:\n  shutdownGracePeriod: 20s\n");
        ProcessBuilder builder = MainProcess.builder("serve")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("IDP_CONFIG", config.toString());
        builder.environment().put("IDP_AUTH", "none");
        builder.environment().put("IDP_HTTP_PORT", "0");
        builder.environment().put("IDP_MANAGEMENT_PORT", "0");
        builder.environment().put("IDP_REDIS_URL", redis.url());
        builder.environment().put("IDP_RATE_LIMIT", "100000/1s");
        builder.environment().put("IDP_LOG_FORMAT", "json");
        return builder.start();
    }

    /** Sends a long script on a connection of its own and leaves it running. */
    private Socket holdRedisBusy() throws IOException {
        Socket socket = new Socket("127.0.0.1", redis.port());
        OutputStream out = socket.getOutputStream();
        out.write(resp("EVAL", BUSY_SCRIPT, "0"));
        out.flush();
        return socket;
    }

    private static byte[] resp(String... parts) {
        StringBuilder command = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            command.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Requests the gateway's HTTP servers hold now, from its own metrics (the scrape itself included). */
    private static double activeServerRequests(URI management) {
        Matcher sample = Pattern.compile("^vertx_http_server_active_requests(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE)
                .matcher(HttpProbe.body(management.resolve("/metrics")));
        double active = 0;
        while (sample.find()) {
            active += Double.parseDouble(sample.group(2));
        }
        return active - 1;
    }
}
