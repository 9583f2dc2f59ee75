package dev.idpgateway.redis;

import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.Seeder;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway against Redis over TLS with an ACL user: real handshakes through a TLS proxy in front of the
 * embedded redis-server (which may be built without TLS), certificates made by the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisTlsTest {
    private static final String USER = "idpgw";
    private static final String PASSWORD = "s3cret-Pa55";
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;
    private Vertx vertx;
    private EmbeddedRedis redis;
    private TestPki pki;
    private TestPki.Issued localhost;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        redis = EmbeddedRedis.builder().start();
        try (var admin = new dev.idpgateway.dev.BlockingRedis(vertx, redis.url())) {
            admin.send(Command.ACL, "SETUSER", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all");
        }
        pki = new TestPki(dir, "test");
        localhost = pki.server("localhost", "localhost", "127.0.0.1");
    }

    @AfterAll
    void stop() {
        redis.close();
        Blocking.await(vertx.close());
    }

    @Test
    void disablesAUserOverTlsAsAnAclUser() {
        try (TlsProxy proxy = TlsProxy.start(vertx, 0, localhost, null, redis.port());
             GatewayFixture gateway = GatewayFixture.startOn(redis, tlsEnvironment(proxy, PASSWORD))) {
            assertDisablesAUser(gateway);
            String clients = gateway.redis.send(Command.CLIENT, "LIST").toString();
            assertTrue(clients.contains("user=" + USER), "the gateway's connections authenticate as " + USER + ": " + clients);
        }
    }

    @Test
    void theSettingsWinOverUserInfoInTheUrl() {
        try (TlsProxy proxy = TlsProxy.start(vertx, 0, localhost, null, redis.port())) {
            Map<String, String> env = tlsEnvironment(proxy, PASSWORD);
            env.put("IDP_REDIS_URL", "rediss://nobody:wrong@localhost:" + proxy.port());
            try (GatewayFixture gateway = GatewayFixture.startOn(redis, env)) {
                assertReady(gateway);
            }
        }
    }

    @Test
    void aWrongPasswordIsReportedWithoutThePassword() {
        try (TlsProxy proxy = TlsProxy.start(vertx, 0, localhost, null, redis.port());
             GatewayFixture gateway = GatewayFixture.startOn(redis, tlsEnvironment(proxy, "not-the-" + PASSWORD))) {
            String reason = notReadyBecause(gateway, "authentication failed for user " + USER);
            assertFalse(reason.contains(PASSWORD), reason);
        }
    }

    @Test
    void anUntrustedCertificateIsReported() {
        TestPki.Issued stranger = new TestPki(dir, "stranger").server("stranger", "localhost", "127.0.0.1");
        try (TlsProxy proxy = TlsProxy.start(vertx, 0, stranger, null, redis.port());
             GatewayFixture gateway = GatewayFixture.startOn(redis, tlsEnvironment(proxy, PASSWORD))) {
            notReadyBecause(gateway, "certificate not trusted");
        }
    }

    @Test
    void aCertificateForAnotherHostIsReported() {
        TestPki.Issued otherHost = pki.server("other-host", "redis.other.example");
        try (TlsProxy proxy = TlsProxy.start(vertx, 0, otherHost, null, redis.port());
             GatewayFixture gateway = GatewayFixture.startOn(redis, tlsEnvironment(proxy, PASSWORD))) {
            notReadyBecause(gateway, "host name mismatch");
        }
    }

    @Test
    void hostNameVerificationCanBeTurnedOff() throws IOException {
        TestPki.Issued otherHost = pki.server("other-host-accepted", "redis.other.example");
        Path config = Files.writeString(dir.resolve("no-hostname.yaml"), "redis:\n  tls:\n    verifyHostname: false\n");
        try (TlsProxy proxy = TlsProxy.start(vertx, 0, otherHost, null, redis.port())) {
            Map<String, String> env = tlsEnvironment(proxy, PASSWORD);
            env.put("IDP_CONFIG", config.toString());
            try (GatewayFixture gateway = GatewayFixture.startOn(redis, env)) {
                assertReady(gateway);
            }
        }
    }

    @Test
    void mutualTlsWithAClientCertificate() {
        TestPki.Issued client = pki.client("gateway-client");
        String caPem = readString(pki.caFile());
        try (TlsProxy proxy = TlsProxy.start(vertx, 0, localhost, caPem, redis.port())) {
            try (GatewayFixture withoutCertificate = GatewayFixture.startOn(redis, tlsEnvironment(proxy, PASSWORD))) {
                notReadyBecause(withoutCertificate, "client certificate");
            }
            Map<String, String> env = tlsEnvironment(proxy, PASSWORD);
            env.put("IDP_REDIS_CLIENT_CERT", client.certificate().toString());
            env.put("IDP_REDIS_CLIENT_KEY", client.key().toString());
            try (GatewayFixture gateway = GatewayFixture.startOn(redis, env)) {
                assertDisablesAUser(gateway);
            }
        }
    }

    /**
     * A redis-server with TLS of its own and only the ACL user (the default user off), as a managed Redis with
     * in-transit encryption is set up; users seeded as the seed command does. Skipped when the redis-server
     * this machine runs is built without TLS.
     */
    @Test
    void disablesASeededUserOnARedisServerWithNativeTls() {
        // Chosen before redis-server binds it, so another process could take it in between: redis-server has no
        // port 0 for TLS (--tls-port 0 turns TLS off) and reports no chosen port, so there is no race-free way.
        int tlsPort = GatewayFixture.freePort();
        EmbeddedRedis server;
        try {
            server = EmbeddedRedis.builder().serverArgs("--port", "0", "--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", localhost.certificate().toString(), "--tls-key-file", localhost.key().toString(),
                    "--tls-ca-cert-file", pki.caFile().toString(), "--tls-auth-clients", "no",
                    "--user", "default", "off", "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all").start();
        } catch (IllegalStateException notStarted) {
            Assumptions.abort("this redis-server does not run with TLS: " + notStarted.getMessage());
            return;
        }
        try {
            Assumptions.assumeTrue(handshakes(tlsPort), "this redis-server does not speak TLS on --tls-port");
            Map<String, String> env = new HashMap<>();
            env.put("IDP_REDIS_URL", "rediss://localhost:" + tlsPort);
            env.put("IDP_REDIS_CA", pki.caFile().toString());
            env.put("IDP_REDIS_USERNAME", USER);
            env.put("IDP_REDIS_PASSWORD", PASSWORD);
            RedisOptions connection = RedisClients.connectionOptions(new ConfigLoader().loadRedis(env));
            Seeder.run(connection, "us-east-1_Seeded", 5, 2);
            try (GatewayFixture gateway = GatewayFixture.startWith(connection, env);
                 CognitoIdentityProviderClient cognito = gateway.client()) {
                assertReady(gateway);
                cognito.adminDisableUser(request -> request.userPoolId("us-east-1_Seeded").username(Seeder.username(3)));
                String userKey = gateway.writer.keys().user("us-east-1_Seeded", Seeder.username(3));
                assertEquals("false", gateway.redis.hash(userKey).get("enabled"));
            }
        } finally {
            server.close();
        }
    }

    /** Whether a TLS handshake with the server on {@code port} completes (a build without TLS ignores --tls-port). */
    private boolean handshakes(int port) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (var in = Files.newInputStream(pki.caFile())) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                socket.setSoTimeout(2_000);
                socket.startHandshake();
                return true;
            }
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private Map<String, String> tlsEnvironment(TlsProxy proxy, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("IDP_REDIS_URL", "rediss://localhost:" + proxy.port());
        env.put("IDP_REDIS_CA", pki.caFile().toString());
        env.put("IDP_REDIS_USERNAME", USER);
        env.put("IDP_REDIS_PASSWORD", password);
        return env;
    }

    /** Disables a user through the AWS SDK; the fixture's own clients check Redis on the plain port. */
    static void assertDisablesAUser(GatewayFixture gateway) {
        assertReady(gateway);
        PoolRecord pool = PoolRecord.of("us-east-1_Tls");
        Blocking.await(gateway.writer.write(pool, UserRecord.builder("alice").tokens(2).build()));
        try (CognitoIdentityProviderClient cognito = gateway.client()) {
            cognito.adminDisableUser(request -> request.userPoolId(pool.poolId()).username("alice"));
        }
        assertEquals("false", gateway.redis.hash(gateway.writer.keys().user(pool.poolId(), "alice")).get("enabled"));
    }

    static void assertReady(GatewayFixture gateway) {
        Polling.await("ready", PATIENCE, () -> readiness(gateway).statusCode() == 200);
    }

    /** Waits until readiness has failed with a reason, and returns it. */
    /**
     * Waits until readiness fails for {@code reason}: on a loaded machine the first check may only time out,
     * and the probe then finds the failure itself.
     */
    static String notReadyBecause(GatewayFixture gateway, String reason) {
        String[] body = new String[1];
        Polling.await("readiness to fail for: " + reason, PATIENCE, () -> {
            HttpResponse<String> response;
            try {
                response = readiness(gateway);
            } catch (java.io.UncheckedIOException slow) {
                return false; // a readiness request that timed out on a loaded machine: asked again
            }
            body[0] = response.body();
            return response.statusCode() == 503 && body[0].contains(reason);
        });
        return body[0];
    }

    private static HttpResponse<String> readiness(GatewayFixture gateway) {
        try {
            return HTTP.send(HttpRequest.newBuilder(gateway.managementEndpoint().resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
