package dev.idpgateway.reliability;

import dev.idpgateway.auth.SdkSigning;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.testing.Blocking;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input corpus against a running gateway, once without authentication and once with
 * every request signed by the AWS SDK signer, so that the body's errors are reached behind a valid
 * signature. Every case must get a well-formed AWS error of an expected type (never a 500), or a
 * closed connection where the corpus says so; the seeded pool must not change; and a normal request
 * after each case must succeed, as one must after the whole corpus.
 */
class HostileInputTest {
    private static final String KEY = "AKIDHOSTILETEST00001";
    private static final String SECRET = "hostile-test-secret";
    private static final PoolRecord HOSTILE = PoolRecord.of("us-east-1_Hostile").withAliasAttributes("email");
    private static final PoolRecord NORMAL = PoolRecord.of("us-east-1_Normal");
    private static final byte[] NORMAL_BODY =
            "{\"UserPoolId\":\"us-east-1_Normal\",\"Username\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    /** Long enough for the slowest case: idle timeout (1 s) after a trickled byte, on a busy machine. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final int PARALLEL_CLIENTS = 8;
    private static final Set<String> BEHIND_AUTHENTICATION = Set.of(ErrorCode.USER_NOT_FOUND.type(),
            ErrorCode.RESOURCE_NOT_FOUND.type(), ErrorCode.INVALID_PARAMETER.type());

    enum Auth { NONE, SIGV4 }

    @TempDir
    Path dir;

    static List<HostileCase> corpus() {
        return Stream.concat(HostileCase.load("/hostile/handwritten.json").stream(),
                HostileCase.load("/hostile/generated.json").stream()).toList();
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void everyHostileRequestGetsAWellFormedErrorOrAClosedConnectionAndChangesNothing(Auth auth) throws Exception {
        List<HostileCase> corpus = corpus();
        assertTrue(corpus.size() >= 300, "corpus size " + corpus.size());
        try (GatewayFixture gateway = GatewayFixture.start(environment(auth))) {
            Blocking.await(gateway.writer.write(HOSTILE, UserRecord.builder("alice").tokens(3).build(),
                    UserRecord.builder("bob").email("bob@example.com").tokens(1).build()));
            Blocking.await(gateway.writer.write(NORMAL, UserRecord.builder("ok").build()));
            Map<String, String> before = snapshot(gateway);
            Client client = new Client(gateway, auth);

            List<String> problems = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(PARALLEL_CLIENTS);
            try {
                List<Future<String>> results = corpus.stream().map(hostile -> clients.submit(() -> client.check(hostile))).toList();
                for (Future<String> result : results) {
                    if (result.get() != null) {
                        problems.add(result.get());
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(List.of(), problems, problems.size() + " of " + corpus.size() + " cases failed");
            assertEquals(before, snapshot(gateway), "the seeded pool changed");
            assertEquals(200, client.normalRequest().status());
        }
    }

    private Map<String, String> environment(Auth auth) throws IOException {
        Path config = dir.resolve("gateway.yaml");
        // Low timeouts, so that slow and stalled clients are cut off within the test's patience: the idle
        // timeout catches a client that stops, the read timeout one that trickles just inside the idle timeout.
        Files.writeString(config, "http:\n  idleTimeout: 1s\n  requestHeaderTimeout: 2s\n  requestReadTimeout: 2s\n");
        if (auth == Auth.NONE) {
            return Map.of("IDP_CONFIG", config.toString());
        }
        Path credentials = dir.resolve("credentials.yaml");
        Files.writeString(credentials, """
                principals:
                  - name: hostile-test
                    accessKeys:
                      - id: %s
                        secret: "%s"
                    policy:
                      Version: "2012-10-17"
                      Statement:
                        Effect: Allow
                        Action: "cognito-idp:*"
                        Resource: "*"
                """.formatted(KEY, SECRET));
        return Map.of("IDP_CONFIG", config.toString(), "IDP_AUTH", "sigv4", "IDP_CREDENTIALS", credentials.toString());
    }

    /** Every key of the hostile pool with its serialized value: any change to any of them shows. */
    private static Map<String, String> snapshot(GatewayFixture gateway) {
        Map<String, String> values = new TreeMap<>();
        for (String key : gateway.redis.keys("*" + HOSTILE.poolId() + "*")) {
            values.put(key, HexFormat.of().formatHex(gateway.redis.send(Command.DUMP, key).toBytes()));
        }
        assertTrue(values.size() >= 8, "seeded keys: " + values.keySet());
        return values;
    }

    /** Sends cases and judges their outcomes; signs them when the gateway wants signatures. */
    private static final class Client {
        private final GatewayFixture gateway;
        private final Auth auth;
        private final RawHttp http;

        Client(GatewayFixture gateway, Auth auth) {
            this.gateway = gateway;
            this.auth = auth;
            this.http = new RawHttp(gateway.config.http().port(), READ_TIMEOUT);
        }

        /** @return null when the case and the normal request after it behaved, else what went wrong */
        String check(HostileCase hostile) {
            try {
                RawHttp.Outcome outcome = http.exchange(hostile.wire(headers(hostile)), "HEAD".equals(hostile.method()),
                        hostile.pacing());
                String problem = problem(hostile, expected(hostile), outcome);
                if (problem != null) {
                    return hostile.name() + ": " + problem;
                }
                RawHttp.Response normal = normalRequest();
                return normal.status() == 200 ? null
                        : hostile.name() + ": the normal request after it got " + normal.status() + " " + normal.bodyText();
            } catch (Exception e) {
                return hostile.name() + ": " + e;
            }
        }

        /**
         * Raw cases go out unsigned: with SigV4 on, whatever would have reached the operation stops
         * at authentication instead.
         */
        private Set<String> expected(HostileCase hostile) {
            if (auth == Auth.NONE || !hostile.isRaw()) {
                return hostile.expected();
            }
            Set<String> expected = new HashSet<>(hostile.expected());
            if (expected.removeAll(BEHIND_AUTHENTICATION)) {
                expected.add(ErrorCode.MISSING_AUTHENTICATION_TOKEN.type());
            }
            return expected;
        }

        RawHttp.Response normalRequest() throws IOException, InterruptedException {
            HostileCase normal = new HostileCase("normal", Set.of(), "POST", "/",
                    List.of(new HostileCase.Header("X-Amz-Target", HostileCase.TARGET),
                            new HostileCase.Header("Content-Type", HostileCase.JSON_11)),
                    NORMAL_BODY, null, null, RawHttp.Pacing.AT_ONCE);
            return (RawHttp.Response) http.exchange(normal.wire(headers(normal)), false, RawHttp.Pacing.AT_ONCE);
        }

        /**
         * The case's headers, plus Host, X-Amz-Date and Authorization from the SDK signer in SigV4
         * mode. Requests the SDK cannot even express (a made-up method, a path that is no path) go
         * unsigned: the router refuses them before authentication anyway.
         */
        private List<HostileCase.Header> headers(HostileCase hostile) {
            if (auth == Auth.NONE || hostile.isRaw() || !hostile.path().startsWith("/")) {
                return hostile.headers();
            }
            SdkHttpMethod method;
            try {
                method = SdkHttpMethod.fromValue(hostile.method());
            } catch (IllegalArgumentException notAnSdkMethod) {
                return hostile.headers();
            }
            SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(method)
                    .uri(URI.create(gateway.endpoint() + hostile.path()));
            hostile.headers().forEach(header -> request.appendHeader(header.name(), header.value()));
            SdkHttpRequest signed = SdkSigning.sign(request.build(), hostile.content(), KEY, SECRET, Instant.now(),
                    gateway.config.auth().region(), "cognito-idp");
            List<HostileCase.Header> headers = new ArrayList<>();
            signed.forEachHeader((name, values) -> values.forEach(value -> headers.add(new HostileCase.Header(name, value))));
            return headers;
        }
    }

    /** @return null when the outcome is one the case accepts and, if a response, a well-formed AWS error */
    static String problem(HostileCase hostile, Set<String> expected, RawHttp.Outcome outcome) {
        if (outcome instanceof RawHttp.Closed) {
            return expected.contains(HostileCase.CLOSED) ? null
                    : "the connection closed without an answer, expected " + expected;
        }
        RawHttp.Response response = (RawHttp.Response) outcome;
        String type = response.header("x-amzn-ErrorType");
        String seen = response.status() + " " + type + " " + response.bodyText();
        if (type == null && response.status() == 501 && expected.contains(HostileCase.BARE_501)) {
            return null;
        }
        if (type == null || !expected.contains(type)) {
            return "answered " + abbreviate(seen) + ", expected " + expected;
        }
        ErrorCode code = Arrays.stream(ErrorCode.values()).filter(c -> c.type().equals(type)).findFirst().orElseThrow();
        List<String> wrong = new ArrayList<>();
        if (response.status() != code.status() || response.status() >= 500) {
            wrong.add("status " + response.status());
        }
        if (!HostileCase.JSON_11.equals(response.header("Content-Type"))) {
            wrong.add("Content-Type " + response.header("Content-Type"));
        }
        try {
            UUID.fromString(response.header("x-amzn-RequestId"));
            DateTimeFormatter.RFC_1123_DATE_TIME.parse(response.header("Date"));
        } catch (RuntimeException e) {
            wrong.add("request id or date: " + e.getMessage());
        }
        if (!"HEAD".equals(hostile.method())) {
            JsonObject body = new JsonObject(response.bodyText());
            if (!type.equals(body.getString("__type")) || body.getString("message") == null) {
                wrong.add("body " + abbreviate(response.bodyText()));
            }
        }
        return wrong.isEmpty() ? null : "malformed AWS error (" + String.join(", ", wrong) + "): " + abbreviate(seen);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
