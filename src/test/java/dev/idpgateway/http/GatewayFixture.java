package dev.idpgateway.http;

import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.dev.BlockingRedis;
import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.dev.EmbeddedRedisCluster;
import dev.idpgateway.dev.IdentityWriter;
import dev.idpgateway.observability.Telemetry;
import dev.idpgateway.testing.Blocking;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real gateway in this JVM against a real Redis server it starts itself, on free loopback ports,
 * with an AWS SDK client pointed at it. Close it to stop everything.
 */
public final class GatewayFixture implements AutoCloseable {
    /** The standalone Redis the gateway uses; null on a cluster (startOnCluster). */
    public final EmbeddedRedis redisServer;
    public final Vertx vertx;
    public final BlockingRedis redis;
    /** The same server through an asynchronous client, for a test that reads Redis in a chain of futures. */
    public final Redis redisClient;
    public final IdentityWriter writer;
    public final GatewayConfig config;
    /** Metrics only: the gateway's /metrics serves them. */
    public final Telemetry telemetry = new Telemetry(null);
    private final boolean ownsRedisServer;
    private Gateway gateway;

    private GatewayFixture(EmbeddedRedis redisServer, boolean ownsRedisServer, Map<String, String> environment) {
        this(redisServer, ownsRedisServer, new RedisOptions().setConnectionString(redisServer.url()),
                Map.of("IDP_REDIS_URL", redisServer.url()), environment);
    }

    private GatewayFixture(EmbeddedRedis redisServer, boolean ownsRedisServer, RedisOptions clients,
                           Map<String, String> topology, Map<String, String> environment) {
        this.redisServer = redisServer;
        this.ownsRedisServer = ownsRedisServer;
        vertx = telemetry.newVertx();
        Map<String, String> env = new HashMap<>();
        env.put("IDP_AUTH", "none");
        // The system picks free ports as the servers bind them: nothing can take a port between choice and bind.
        env.put("IDP_HTTP_PORT", "0");
        env.put("IDP_MANAGEMENT_PORT", "0");
        env.put("IDP_RATE_LIMIT", "100000/1s");
        env.putAll(topology);
        env.putAll(environment);
        redis = new BlockingRedis(vertx, clients);
        redisClient = Redis.createClient(vertx, clients);
        writer = new IdentityWriter(redisClient);
        gateway = Blocking.await(Gateway.start(vertx, new ConfigLoader().load(env), telemetry));
        // A restart binds the ports the first start got, so that endpoints and clients stay valid across it.
        env.put("IDP_HTTP_PORT", Integer.toString(gateway.apiPort()));
        env.put("IDP_MANAGEMENT_PORT", Integer.toString(gateway.managementPort()));
        config = new ConfigLoader().load(env);
    }

    /** A gateway with the test defaults (no authentication, limits far above what tests send) plus {@code environment}. */
    public static GatewayFixture start(Map<String, String> environment) {
        return new GatewayFixture(EmbeddedRedis.builder().start(), true, environment);
    }

    /** Like {@link #start(Map)}, with a configuration file (IDP_CONFIG) that holds {@code yaml}, written into {@code dir}. */
    public static GatewayFixture startWithConfig(Path dir, String yaml) throws IOException {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), yaml);
        return start(Map.of("IDP_CONFIG", config.toString()));
    }

    /** Like {@link #start(Map)}, on a Redis server the caller started and closes: several gateways can share it like replicas. */
    public static GatewayFixture startOn(EmbeddedRedis redisServer, Map<String, String> environment) {
        return new GatewayFixture(redisServer, false, environment);
    }

    /** A gateway in cluster mode on a Redis Cluster the caller started and closes; the fixture's clients route by key. */
    public static GatewayFixture startOnCluster(EmbeddedRedisCluster cluster, Map<String, String> environment) {
        return new GatewayFixture(null, false,
                new RedisOptions().setType(RedisClientType.CLUSTER).setEndpoints(List.of(cluster.urls().split(","))),
                Map.of("IDP_REDIS_MODE", "cluster", "IDP_REDIS_URL", cluster.urls()), environment);
    }

    /** A gateway whose Redis {@code environment} names alone (IDP_REDIS_URL and the rest); the fixture's clients connect with {@code clients}. */
    public static GatewayFixture startWith(RedisOptions clients, Map<String, String> environment) {
        return new GatewayFixture(null, false, clients, Map.of(), environment);
    }

    public static GatewayFixture start() {
        return start(Map.of());
    }

    public void startGateway() {
        gateway = Blocking.await(Gateway.start(vertx, config, telemetry));
    }

    public void stopGateway() {
        Blocking.await(gateway.stop());
    }

    public URI endpoint() {
        return URI.create((config.http().tls().enabled() ? "https" : "http") + "://127.0.0.1:" + config.http().port());
    }

    public URI managementEndpoint() {
        return URI.create("http://127.0.0.1:" + config.management().port());
    }

    /** An SDK client that does not retry, so that every error the gateway answers reaches the test. */
    public CognitoIdentityProviderClient client(String accessKeyId, String secretKey) {
        return client(endpoint(), accessKeyId, secretKey, config.auth().region());
    }

    /** The same, signing for {@code region}. */
    public CognitoIdentityProviderClient client(String accessKeyId, String secretKey, String region) {
        return client(endpoint(), accessKeyId, secretKey, region);
    }

    /** Like {@link #client(String, String)}, through another name of this gateway (so that Host differs). */
    public CognitoIdentityProviderClient client(URI endpoint, String accessKeyId, String secretKey) {
        return client(endpoint, accessKeyId, secretKey, config.auth().region());
    }

    private CognitoIdentityProviderClient client(URI endpoint, String accessKeyId, String secretKey, String region) {
        return CognitoIdentityProviderClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    public CognitoIdentityProviderClient client() {
        return client("AKIDTEST", "test-secret");
    }

    /**
     * A port free now, but not reserved: another process can bind it before the caller does. For a port that
     * must be known before anything binds it (auth.hosts, redis-server's --tls-port) or that nothing should
     * listen on; a server the test starts binds port 0 and reports the port it got instead.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            Blocking.await(gateway.stop());
        } finally {
            redis.close();
            redisClient.close();
            Blocking.await(vertx.close());
            telemetry.close();
            if (ownsRedisServer) {
                redisServer.close();
            }
        }
    }
}
