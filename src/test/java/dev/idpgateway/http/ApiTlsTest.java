package dev.idpgateway.http;

import dev.idpgateway.http.TestCertificates.Issued;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import dev.idpgateway.testing.RedisContents;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API over HTTPS: real handshakes against the gateway, with certificates the test makes. What a
 * Vert.x client does against the gateway runs as one chain of futures on the extension's test context.
 */
@ExtendWith(VertxExtension.class)
class ApiTlsTest {
    private static final String TARGET = "AWSCognitoIdentityProviderService.AdminDisableUser";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** The gateway runs without authentication here; the SDK signs all the same. */
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));
    private static final Duration RELOAD_PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final Issued ca = TestCertificates.authority("Test CA");
    private final Issued first = TestCertificates.issue(ca, "gateway-1");
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Path mount;
    private GatewayFixture gateway;

    @BeforeEach
    void setUp() throws IOException {
        mount = Files.createDirectory(dir.resolve("tls"));
        log.start();
        ((Logger) LoggerFactory.getLogger(ApiTls.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(ApiTls.class)).detachAppender(log);
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theSdkDisablesAUserOverHttps() throws Exception {
        start(Map.of("tls.crt", first.certificatePem(), "tls.key", first.keyPem()), Map.of());
        PoolRecord pool = PoolRecord.of("us-east-1_Https");
        Blocking.await(gateway.writer.write(pool, UserRecord.builder("alice").build()));

        try (CognitoIdentityProviderClient cognito = CognitoIdentityProviderClient.builder()
                .endpointOverride(gateway.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(this::trustManagers).build())
                .build()) {
            cognito.adminDisableUser(b -> b.userPoolId(pool.poolId()).username("alice"));
        }
        assertEquals("https", gateway.endpoint().getScheme());
        assertEquals("false", gateway.redis.hash(gateway.writer.keys().user(pool.poolId(), "alice")).get("enabled"));
        assertEquals(first.certificate().getNotAfter().getTime() / 1000.0,
                gateway.telemetry.registry().get("idp.http.tls.certificate.expiry").gauge().value());
    }

    @Test
    void boringSslServesTheApiWhereTcnativeIsOnTheClasspath(VertxTestContext test) throws Exception {
        // The test classpath carries netty-tcnative for this platform, as the image does for Linux.
        start(Map.of("tls.crt", first.certificatePem(), "tls.key", first.keyPem()), Map.of());
        assertTrue(log.list.stream().anyMatch(event -> event.getFormattedMessage().contains("OpenSSL (BoringSSL) engine")),
                "the engine named in the start-up line");
        HttpClientAgent client = client(HttpVersion.HTTP_1_1, null);
        connect(client).compose(connection -> send(connection, Buffer.buffer("{not json")))
                .onComplete(test.succeeding(answer -> test.verify(() -> {
                    assertEquals(400, answer.status());
                    assertEquals("SerializationException", answer.errorType());
                    test.completeNow();
                })));
    }

    @Test
    void http2IsOfferedThroughAlpnAndServesTheApi(VertxTestContext test) throws Exception {
        start(Map.of("tls.crt", first.certificatePem(), "tls.key", first.keyPem()), Map.of());
        PoolRecord pool = PoolRecord.of("us-east-1_H2");
        Blocking.await(gateway.writer.write(pool, UserRecord.builder("alice").build(), UserRecord.builder("bob").build()));
        // The Vert.x client's requests and the SDK's run side by side, each on its own user.
        Checkpoint vertxClient = test.checkpoint();
        Checkpoint sdkClient = test.checkpoint();

        HttpClientAgent client = client(HttpVersion.HTTP_2, null);
        connect(client).compose(connection -> disable(connection, pool, "alice")
                        .andThen(test.succeeding(answer -> test.verify(() -> {
                            assertEquals(HttpVersion.HTTP_2, answer.version());
                            assertEquals(200, answer.status());
                            assertEquals("{}", answer.body());
                            assertTrue(answer.requestId() != null && !answer.requestId().isEmpty(), "x-amzn-RequestId over h2");
                        })))
                        .compose(disabled -> send(connection, Buffer.buffer("{not json"))))
                .andThen(test.succeeding(malformed -> test.verify(() -> {
                    assertEquals(400, malformed.status());
                    assertEquals("SerializationException", malformed.errorType());
                })))
                .compose(malformed -> connect(client).compose(fresh ->
                        send(fresh, Buffer.buffer(new byte[gateway.config.http().maxBodyBytes() + 1]))))
                .andThen(test.succeeding(oversized -> test.verify(() -> {
                    assertEquals(400, oversized.status(), "an oversized body over h2");
                    assertEquals("SerializationException", oversized.errorType());
                })))
                .compose(oversized -> client.close())
                .onComplete(test.succeeding(closed -> vertxClient.flag()));

        // The SDK's Netty client negotiates h2 the same way.
        try (CognitoIdentityProviderAsyncClient cognito = CognitoIdentityProviderAsyncClient.builder()
                .endpointOverride(gateway.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2)
                        .protocolNegotiation(ProtocolNegotiation.ALPN)
                        .tlsTrustManagersProvider(this::trustManagers).build())
                .build()) {
            cognito.adminDisableUser(b -> b.userPoolId(pool.poolId()).username("bob")).get(30, TimeUnit.SECONDS);
        }
        assertEquals("false", gateway.redis.hash(gateway.writer.keys().user(pool.poolId(), "bob")).get("enabled"));
        sdkClient.flag();
    }

    @Test
    void tls11IsRefusedWhileTls12IsServed() throws Exception {
        start(Map.of("tls.crt", first.certificatePem(), "tls.key", first.keyPem()), Map.of());
        // Hand-made ClientHellos: the JDK's own client will not even offer TLS 1.1.
        assertEquals(ALERT, firstRecordType(clientHello(0x0302)), "a TLS 1.1 ClientHello must be refused with an alert");
        assertEquals(HANDSHAKE, firstRecordType(clientHello(0x0303)), "the same ClientHello as TLS 1.2 gets a ServerHello");
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNoApiAnswer() throws Exception {
        start(Map.of("tls.crt", first.certificatePem(), "tls.key", first.keyPem()), Map.of());
        byte[] body = "{\"UserPoolId\":\"us-east-1_X\",\"Username\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        String request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + CONTENT_TYPE + "\r\nX-Amz-Target: "
                + TARGET + "\r\nContent-Length: " + body.length + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8);
        String answer = new String(exchangeRaw(request.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1);
        assertFalse(answer.startsWith("HTTP/"), "plain HTTP got an HTTP answer: " + answer);
        assertFalse(answer.contains("x-amzn-RequestId"), answer);
    }

    @Test
    void aRotatedCertificateReachesNewConnectionsWhileOpenOnesKeepWorking(VertxTestContext test) throws Exception {
        start(Map.of("tls.crt", first.certificatePem(), "tls.key", first.keyPem()), Map.of());
        PoolRecord pool = PoolRecord.of("us-east-1_Rotation");
        HttpClientAgent client = client(HttpVersion.HTTP_1_1, null);
        Issued second = TestCertificates.issue(ca, "gateway-2");
        gateway.writer.write(pool, UserRecord.builder("alice").build())
                .compose(written -> connect(client))
                .andThen(test.succeeding(old -> test.verify(() -> assertEquals(first.serial(), served(old)))))
                .compose(old -> publish(Map.of("tls.crt", second.certificatePem(), "tls.key", second.keyPem()))
                        .compose(published -> served(client, second.serial()))
                        .compose(rotated -> disable(old, pool, "alice")))
                .andThen(test.succeeding(answer -> test.verify(() -> {
                    assertEquals(200, answer.status(), "the open connection keeps working");
                    assertEquals(second.certificate().getNotAfter().getTime() / 1000.0,
                            gateway.telemetry.registry().get("idp.http.tls.certificate.expiry").gauge().value());
                })))
                .compose(answer -> client.close())
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void aBrokenPairKeepsTheCertificateInForceAndIsReportedOnce(VertxTestContext test) throws Exception {
        start(Map.of("tls.crt", first.certificatePem(), "tls.key", first.keyPem()), Map.of());
        HttpClientAgent client = client(HttpVersion.HTTP_1_1, null);
        Issued second = TestCertificates.issue(ca, "gateway-2");

        // The renewed certificate written before its key: the key on disk is not its key.
        TestCertificates.publish(mount, Map.of("tls.crt", second.certificatePem(), "tls.key", first.keyPem()));
        Polling.await("the mismatched pair to be refused", RELOAD_PATIENCE, () -> reloadFailures() == 1);
        // Then a key cut short.
        TestCertificates.publish(mount, Map.of("tls.crt", second.certificatePem(),
                "tls.key", second.keyPem().substring(0, 100)));
        Polling.await("the unparsable key to be refused", RELOAD_PATIENCE, () -> reloadFailures() == 2);
        List<String> errors = log.list.stream().filter(event -> event.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, errors.size(), "one error per broken state, not per check: " + errors);
        assertTrue(errors.get(0).contains("is not the key of the certificate"), errors.get(0));
        assertTrue(errors.get(1).contains("is not a PEM private key"), errors.get(1));

        connect(client)
                .andThen(test.succeeding(connection -> test.verify(() -> assertEquals(first.serial(), served(connection)))))
                .compose(connection -> connection.close())
                .compose(closed -> publish(Map.of("tls.crt", second.certificatePem(), "tls.key", second.keyPem())))
                .compose(published -> served(client, second.serial()))
                .compose(rotated -> client.close())
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void withAClientCaOnlyCallersWithACertificateItSignedAreServed(VertxTestContext test) throws Exception {
        Issued clients = TestCertificates.authority("Client CA");
        start(Map.of("tls.crt", first.certificatePem(), "tls.key", first.keyPem(), "client-ca.crt", clients.certificatePem()),
                Map.of("IDP_TLS_CLIENT_CA", mount.resolve("client-ca.crt").toString()));
        PoolRecord pool = PoolRecord.of("us-east-1_Mtls");
        HttpClientAgent anonymous = client(HttpVersion.HTTP_1_1, null);
        HttpClientAgent foreign = client(HttpVersion.HTTP_1_1,
                TestCertificates.issue(TestCertificates.authority("Other CA"), "stranger"));
        HttpClientAgent known = client(HttpVersion.HTTP_1_1, TestCertificates.issue(clients, "account-service"));
        gateway.writer.write(pool, UserRecord.builder("alice").build())
                .compose(written -> refused("a caller without a certificate",
                        connect(anonymous).compose(connection -> disable(connection, pool, "alice"))))
                .compose(none -> refused("a certificate of another CA",
                        connect(foreign).compose(connection -> disable(connection, pool, "alice"))))
                .compose(none -> connect(known).compose(connection -> disable(connection, pool, "alice")))
                .andThen(test.succeeding(answer -> test.verify(() -> assertEquals(200, answer.status()))))
                .compose(answer -> RedisContents.read(gateway.redisClient))
                .andThen(test.succeeding(redis -> test.verify(() -> assertEquals("false",
                        redis.hash(gateway.writer.keys().user(pool.poolId(), "alice")).get("enabled")))))
                .compose(checked -> Future.all(anonymous.close(), foreign.close(), known.close()))
                .onComplete(test.succeedingThenComplete());
    }

    /** Starts the gateway with the files published in {@link #mount}, checked every 100 ms. */
    private void start(Map<String, String> files, Map<String, String> environment) throws IOException {
        TestCertificates.publish(mount, files);
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "http:\n  tls:\n    reloadInterval: 100ms\n");
        Map<String, String> env = new HashMap<>(environment);
        env.put("IDP_CONFIG", config.toString());
        env.put("IDP_TLS_CERT", mount.resolve("tls.crt").toString());
        env.put("IDP_TLS_KEY", mount.resolve("tls.key").toString());
        gateway = GatewayFixture.start(env);
    }

    /** Trust in the test CA only, for the SDK's HTTP clients. */
    private TrustManager[] trustManagers() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(ca.trustStore());
            return trust.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpClientAgent client(HttpVersion version, Issued certificate) {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setUseAlpn(true).setProtocolVersion(version)
                .setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.certificatePem())));
        if (certificate != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate.certificatePem()))
                    .setKeyValue(Buffer.buffer(certificate.keyPem())));
        }
        return gateway.vertx.createHttpClient(options);
    }

    private Future<HttpClientConnection> connect(HttpClientAgent client) {
        return client.connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(gateway.config.http().port()));
    }

    private record Answer(HttpVersion version, int status, String requestId, String errorType, String body) {
    }

    private static RequestOptions request() {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI("/")
                .putHeader("Content-Type", CONTENT_TYPE).putHeader("X-Amz-Target", TARGET);
    }

    private static Future<Answer> disable(HttpClientConnection connection, PoolRecord pool, String username) {
        return send(connection, Buffer.buffer("{\"UserPoolId\":\"" + pool.poolId() + "\",\"Username\":\"" + username + "\"}"));
    }

    private static Future<Answer> send(HttpClientConnection connection, Buffer body) {
        return connection.request(request())
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(received -> new Answer(response.version(), response.statusCode(),
                        response.getHeader("x-amzn-RequestId"), response.getHeader("x-amzn-ErrorType"), received.toString())));
    }

    private static BigInteger served(HttpClientConnection connection) {
        try {
            return ((X509Certificate) connection.peerCertificates().get(0)).getSerialNumber();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Succeeds once new handshakes are served the certificate with {@code serial}. */
    private Future<Void> served(HttpClientAgent client, BigInteger serial) {
        return Polling.until(gateway.vertx, "new connections to be served certificate " + serial, RELOAD_PATIENCE,
                () -> connect(client).compose(connection -> {
                    boolean rotated = served(connection).equals(serial);
                    return connection.close().map(rotated);
                }));
    }

    /** Writes the files into the mounted directory off the event loops, which the gateway shares. */
    private Future<Void> publish(Map<String, String> files) {
        return gateway.vertx.executeBlocking(() -> {
            TestCertificates.publish(mount, files);
            return null;
        });
    }

    /** Succeeds when {@code attempt} fails: {@code caller} must not be served. */
    private static Future<Void> refused(String caller, Future<?> attempt) {
        return attempt.transform(result -> result.succeeded()
                ? Future.failedFuture(new AssertionError(caller + " was served"))
                : Future.succeededFuture());
    }

    private double reloadFailures() {
        return gateway.telemetry.registry().get("idp.http.tls.reload.failures").counter().count();
    }

    private static final int HANDSHAKE = 0x16;
    private static final int ALERT = 0x15;

    /** The content type of the first TLS record the server answers with; -1 when it closed without one. */
    private int firstRecordType(byte[] hello) throws IOException {
        byte[] answer = exchangeRaw(hello);
        return answer.length == 0 ? -1 : answer[0] & 0xff;
    }

    /** Sends bytes on a new TCP connection and returns what comes back before the server closes or goes quiet. */
    private byte[] exchangeRaw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.config.http().port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                // The first record's header is enough to judge; read until then or the end.
                for (int n = in.read(buffer); n > 0; n = answer.size() >= 5 ? -1 : in.read(buffer)) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketException reset) {
                // Closed with a reset: whatever arrived before is the answer.
            }
            return answer.toByteArray();
        }
    }

    /** A minimal ClientHello offering {@code version} only, ECDHE-ECDSA suites, P-256 and SHA-256 signatures. */
    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version & 0xff);
        body.writeBytes(new byte[32]);                            // random
        body.write(0);                                            // no session id
        body.writeBytes(new byte[]{0, 4, (byte) 0xc0, 0x2b, (byte) 0xc0, 0x09}); // ECDHE_ECDSA AES128 GCM / CBC
        body.writeBytes(new byte[]{1, 0});                        // null compression
        byte[] extensions = {
                0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,   // supported_groups: secp256r1
                0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,               // ec_point_formats: uncompressed
                0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03};  // signature_algorithms: ecdsa_secp256r1_sha256
        body.write(extensions.length >> 8);
        body.write(extensions.length & 0xff);
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[]{HANDSHAKE, (byte) (version >> 8), (byte) (version & 0xff)});
        record.write((hello.length + 4) >> 8);
        record.write((hello.length + 4) & 0xff);
        record.writeBytes(new byte[]{1, 0, (byte) (hello.length >> 8), (byte) (hello.length & 0xff)});
        record.writeBytes(hello);
        return record.toByteArray();
    }
}
