package dev.idpgateway.http;

import dev.idpgateway.auth.SdkSigning;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.FileReplacement;
import dev.idpgateway.testing.Polling;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SigV4 and IAM-style policies through the running gateway, with real AWS SDK clients and hand-signed requests. */
class SigV4GatewayTest {
    private static final String KEY_ONE = "AKIDACCOUNTSERVICE01";
    private static final String SECRET_ONE = "account-service-secret-one";
    private static final String KEY_TWO = "AKIDACCOUNTSERVICE02";
    private static final String SECRET_TWO = "account-service-secret-two";
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Signed");
    private static final PoolRecord PROD = PoolRecord.of("us-east-1_Prod");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static Path credentials;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws IOException {
        credentials = dir.resolve("credentials.yaml");
        try (InputStream sample = SigV4GatewayTest.class.getResourceAsStream("/auth/credentials.yaml")) {
            Files.copy(sample, credentials);
        }
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "auth:\n  reloadInterval: 100ms\n");
        gateway = GatewayFixture.start(Map.of("IDP_AUTH", "sigv4", "IDP_CREDENTIALS", credentials.toString(),
                "IDP_CONFIG", config.toString()));
        Blocking.await(gateway.writer.write(POOL, UserRecord.builder("alice").tokens(1).build(),
                UserRecord.builder("bob").build(), UserRecord.builder("carol").build()));
        Blocking.await(gateway.writer.write(PROD, UserRecord.builder("alice").build()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static void disable(String key, String secret, PoolRecord pool, String username) {
        try (CognitoIdentityProviderClient cognito = gateway.client(key, secret)) {
            cognito.adminDisableUser(b -> b.userPoolId(pool.poolId()).username(username));
        }
    }

    private static String errorCode(String key, String secret, PoolRecord pool, String username) {
        return assertThrows(CognitoIdentityProviderException.class, () -> disable(key, secret, pool, username))
                .awsErrorDetails().errorCode();
    }

    private static String enabled(PoolRecord pool, String username) {
        return gateway.redis.hash(gateway.writer.keys().user(pool.poolId(), username)).get("enabled");
    }

    @Test
    void aSignedCallerWithPermissionDisablesAndIsRecordedInTheAuditTrail() {
        disable(KEY_ONE, SECRET_ONE, POOL, "alice");
        assertEquals("false", enabled(POOL, "alice"));
        String events = gateway.redis.send(Command.XRANGE, gateway.writer.keys().events(POOL.poolId()), "-", "+").toString();
        assertTrue(events.contains("account-service"), events);
        assertTrue(!events.contains(SECRET_ONE), events);
    }

    @Test
    void bothKeysOfAPrincipalWork() {
        disable(KEY_TWO, SECRET_TWO, POOL, "bob");
        assertEquals("false", enabled(POOL, "bob"));
    }

    @Test
    void signatureAndKeyErrorsChangeNothing() {
        assertEquals("InvalidSignatureException", errorCode(KEY_ONE, "wrong-secret", POOL, "carol"));
        assertEquals("UnrecognizedClientException", errorCode("AKIDUNKNOWN000000000", "x", POOL, "carol"));
        assertEquals("true", enabled(POOL, "carol"));
    }

    @Test
    void policiesDecidePerUserPool() {
        CognitoIdentityProviderException e = assertThrows(CognitoIdentityProviderException.class,
                () -> disable(KEY_ONE, SECRET_ONE, PROD, "alice"));
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertEquals("User: arn:aws:iam::000000000000:user/account-service is not authorized to perform: "
                + "cognito-idp:AdminDisableUser on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/"
                + "us-east-1_Prod with an explicit deny in an identity-based policy", e.awsErrorDetails().errorMessage());
        assertEquals("true", enabled(PROD, "alice"));
        // support-tool may act only on pools named us-east-1_Pool?: nothing allows this one.
        assertEquals("AccessDeniedException", errorCode("AKIDSUPPORTTOOL00001", "support-tool-secret", POOL, "carol"));
        assertEquals("true", enabled(POOL, "carol"));
    }

    @Test
    void anUnsignedRequestIsMissingAuthenticationToken() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDisableUser")
                .POST(HttpRequest.BodyPublishers.ofString(body(POOL, "carol"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode());
        assertEquals("MissingAuthenticationTokenException", new JsonObject(response.body()).getString("__type"));
        assertEquals("true", enabled(POOL, "carol"));
    }

    @Test
    void aTamperedBodyUnderAValidSignatureIsRefused() throws Exception {
        SdkHttpRequest signed = sign(KEY_ONE, SECRET_ONE, Instant.now(), body(POOL, "bob"));
        HttpResponse<String> response = send(signed, body(POOL, "carol"));
        assertEquals("InvalidSignatureException", new JsonObject(response.body()).getString("__type"));
        assertEquals("true", enabled(POOL, "carol"));
        // The untampered request passes, so the signature itself was good.
        HttpResponse<String> untampered = send(signed, body(POOL, "bob"));
        assertEquals(200, untampered.statusCode(), untampered.body());
    }

    @Test
    void aReadSignedWithoutItsTargetCannotBeReplayedAsADisable() throws Exception {
        String body = body(POOL, "carol");
        SdkHttpRequest read = SdkSigning.sign(SdkSigning.jsonRequest(gateway.endpoint(), "AdminGetUser")
                        .removeHeader("X-Amz-Target").build(), body.getBytes(StandardCharsets.UTF_8),
                KEY_ONE, SECRET_ONE, Instant.now(), "us-east-1", "cognito-idp");
        SdkHttpRequest replayed = read.toBuilder()
                .putHeader("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDisableUser").build();

        JsonObject error = new JsonObject(send(replayed, body).body());
        assertEquals("InvalidSignatureException", error.getString("__type"));
        assertEquals("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.", error.getString("message"));
        assertEquals("true", enabled(POOL, "carol"));
    }

    @Test
    void anUnsignedContentTypeOrXAmzHeaderIsRefused() throws Exception {
        String body = body(POOL, "carol");
        SdkHttpRequest withoutContentType = SdkSigning.sign(SdkSigning.jsonRequest(gateway.endpoint(), "AdminDisableUser")
                        .removeHeader("Content-Type").build(), body.getBytes(StandardCharsets.UTF_8),
                KEY_ONE, SECRET_ONE, Instant.now(), "us-east-1", "cognito-idp");
        JsonObject contentType = new JsonObject(send(withoutContentType.toBuilder()
                .putHeader("Content-Type", "application/x-amz-json-1.1").build(), body).body());
        assertEquals("'Content-Type' must be a 'SignedHeader' in the AWS Authorization.", contentType.getString("message"));

        SdkHttpRequest signed = sign(KEY_ONE, SECRET_ONE, Instant.now(), body);
        JsonObject amzHeader = new JsonObject(send(signed.toBuilder().putHeader("X-Amz-Meta-Reason", "added later").build(),
                body).body());
        assertEquals("InvalidSignatureException", amzHeader.getString("__type"));
        assertEquals("'x-amz-meta-reason' must be a 'SignedHeader' in the AWS Authorization.", amzHeader.getString("message"));
        assertEquals("true", enabled(POOL, "carol"));
        // x-amzn-* is another prefix: the SDKs leave X-Amzn-Trace-Id unsigned, and it is not required.
        String bob = body(POOL, "bob");
        HttpResponse<String> traced = send(sign(KEY_ONE, SECRET_ONE, Instant.now(), bob).toBuilder()
                .putHeader("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793").build(), bob);
        assertEquals(200, traced.statusCode(), traced.body());
    }

    @Test
    void authHostsAcceptTheListedHostAndRefuseAnother() {
        PoolRecord pool = PoolRecord.of("us-east-1_Hosts");
        Blocking.await(gateway.writer.write(pool, UserRecord.builder("erin").build(), UserRecord.builder("fred").build()));
        // auth.hosts names host:port as the SDK sends it, so the port must be known before the gateway binds it;
        // port 0 cannot serve here, and the window in which another process could take the port is accepted.
        int port = GatewayFixture.freePort();
        try (GatewayFixture bound = GatewayFixture.startOn(gateway.redisServer, Map.of("IDP_AUTH", "sigv4",
                "IDP_CREDENTIALS", credentials.toString(), "IDP_HTTP_PORT", Integer.toString(port),
                "IDP_AUTH_HOSTS", "idp-gateway.example.internal, localhost:" + port))) {
            // The same server under a name that is not listed (127.0.0.1:<port>): a replay from another deployment.
            try (CognitoIdentityProviderClient other = bound.client(KEY_ONE, SECRET_ONE)) {
                CognitoIdentityProviderException e = assertThrows(CognitoIdentityProviderException.class,
                        () -> other.adminDisableUser(b -> b.userPoolId(pool.poolId()).username("erin")));
                assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
                assertEquals("The request was signed for a Host that this endpoint does not serve.",
                        e.awsErrorDetails().errorMessage());
            }
            assertEquals("true", enabled(pool, "erin"));
            try (CognitoIdentityProviderClient listed = bound.client(URI.create("http://localhost:" + port), KEY_ONE, SECRET_ONE)) {
                listed.adminDisableUser(b -> b.userPoolId(pool.poolId()).username("fred"));
            }
            assertEquals("false", enabled(pool, "fred"));
        }
    }

    @Test
    void aClockSixMinutesOffIsRefusedEitherWay() throws Exception {
        String body = body(POOL, "carol");
        JsonObject late = new JsonObject(send(sign(KEY_ONE, SECRET_ONE, Instant.now().minusSeconds(360), body), body).body());
        assertEquals("InvalidSignatureException", late.getString("__type"));
        assertTrue(late.getString("message").startsWith("Signature expired: "), late.getString("message"));
        JsonObject early = new JsonObject(send(sign(KEY_ONE, SECRET_ONE, Instant.now().plusSeconds(360), body), body).body());
        assertTrue(early.getString("message").startsWith("Signature not yet current: "), early.getString("message"));
        assertEquals("true", enabled(POOL, "carol"));
    }

    @Test
    void keysRotateWhileTrafficRuns() throws Exception {
        PoolRecord pool = PoolRecord.of("us-east-1_Rotate");
        Blocking.await(gateway.writer.write(pool, UserRecord.builder("dora").build()));
        String original = Files.readString(credentials);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger successes = new AtomicInteger();
        ExecutorService traffic = Executors.newSingleThreadExecutor();
        Future<?> oldKeyTraffic = traffic.submit(() -> {
            try (CognitoIdentityProviderClient cognito = gateway.client(KEY_ONE, SECRET_ONE)) {
                while (running.get()) {
                    try {
                        cognito.adminDisableUser(b -> b.userPoolId(pool.poolId()).username("dora"));
                        successes.incrementAndGet();
                    } catch (CognitoIdentityProviderException e) {
                        failures.incrementAndGet();
                    }
                }
            }
        });
        try {
            // Add a third key: it starts to work while the old key keeps working.
            replaceCredentials(edited(original, "      - id: AKIDACCOUNTSERVICE02\n",
                    "      - id: AKIDACCOUNTSERVICE03\n        secret: \"account-service-secret-three\"\n"
                            + "      - id: AKIDACCOUNTSERVICE02\n"));
            Polling.await("the new key to work", Duration.ofSeconds(30), () -> works("AKIDACCOUNTSERVICE03", "account-service-secret-three", pool));
            Polling.await("traffic on the old key", Duration.ofSeconds(30), () -> successes.get() > 20);
            assertEquals(0, failures.get(), "the old key failed while both were in the file");
        } finally {
            running.set(false);
            oldKeyTraffic.get();
            traffic.shutdown();
        }
        // Remove the old key: it stops working, the new one goes on.
        replaceCredentials(edited(Files.readString(credentials),
                "      - id: AKIDACCOUNTSERVICE01\n        secret: \"account-service-secret-one\"\n", ""));
        Polling.await("the removed key to stop working", Duration.ofSeconds(30), () -> !works(KEY_ONE, SECRET_ONE, pool));
        assertEquals("UnrecognizedClientException", errorCode(KEY_ONE, SECRET_ONE, pool, "dora"));
        assertTrue(works("AKIDACCOUNTSERVICE03", "account-service-secret-three", pool));
        replaceCredentials(original);
        Polling.await("the restored key to work", Duration.ofSeconds(30), () -> works(KEY_ONE, SECRET_ONE, pool));
    }

    private static String edited(String text, String target, String replacement) {
        assertTrue(text.contains(target), "the sample credentials file changed its layout");
        return text.replace(target, replacement);
    }

    private static boolean works(String key, String secret, PoolRecord pool) {
        try {
            disable(key, secret, pool, "dora");
            return true;
        } catch (CognitoIdentityProviderException e) {
            return false;
        }
    }

    private static void replaceCredentials(String content) throws IOException {
        FileReplacement.replace(credentials, content);
    }


    private static String body(PoolRecord pool, String username) {
        return new JsonObject().put("UserPoolId", pool.poolId()).put("Username", username).encode();
    }

    private static SdkHttpRequest sign(String key, String secret, Instant at, String body) {
        return SdkSigning.signHttp(gateway.endpoint(), "AdminDisableUser", key, secret, at, "us-east-1", "cognito-idp", body);
    }

    /** Sends the signed headers with {@code body}, which may differ from the body that was signed. */
    private static HttpResponse<String> send(SdkHttpRequest signed, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.endpoint()).POST(HttpRequest.BodyPublishers.ofString(body));
        Set<String> restricted = Set.of("host", "content-length");
        signed.forEachHeader((name, values) -> {
            if (!restricted.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
