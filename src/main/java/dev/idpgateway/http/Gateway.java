package dev.idpgateway.http;

import dev.idpgateway.auth.Authorizer;
import dev.idpgateway.auth.NoAuthentication;
import dev.idpgateway.auth.ReloadingCredentialStore;
import dev.idpgateway.auth.RequestAuthenticator;
import dev.idpgateway.auth.SigV4Verifier;
import dev.idpgateway.auth.SigningPolicy;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.observability.ApiTlsMetrics;
import dev.idpgateway.observability.ClusterQuotaGauges;
import dev.idpgateway.observability.ManagementServer;
import dev.idpgateway.observability.MeteredRedis;
import dev.idpgateway.observability.MeteredUserStore;
import dev.idpgateway.observability.RedisRetryMetrics;
import dev.idpgateway.observability.RequestObserver;
import dev.idpgateway.observability.Telemetry;
import dev.idpgateway.operation.Operation;
import dev.idpgateway.operation.Operations;
import dev.idpgateway.redis.RedisClients;
import dev.idpgateway.redis.RedisProbe;
import dev.idpgateway.redis.RedisUrls;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.store.RedisUserStore;
import dev.idpgateway.store.RetryingUserStore;
import dev.idpgateway.store.UserStore;
import dev.idpgateway.throttle.ClusterQuota;
import dev.idpgateway.throttle.PoolRateLimiters;
import dev.idpgateway.throttle.RateLimitPolicy;
import dev.idpgateway.throttle.RedisReplicaRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds the gateway from its configuration and runs it: the store, the throttle, the
 * authenticator, one {@link GatewayVerticle} per event loop, and the management server.
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** The service name requests are signed for. */
    private static final String SIGNING_SERVICE = "cognito-idp";

    private final Vertx vertx;
    private final UserStore store;
    private final ManagementServer management;
    private final AutoCloseable credentials;
    private final ClusterQuota quota;
    private final ClusterQuotaGauges quotaGauges;
    /** Null while the API port speaks plain HTTP. */
    private ApiTls tls;
    private String deploymentId;
    private int apiPort;

    private Gateway(Vertx vertx, UserStore store, ManagementServer management, AutoCloseable credentials,
                    ClusterQuota quota, ClusterQuotaGauges quotaGauges) {
        this.vertx = vertx;
        this.store = store;
        this.management = management;
        this.credentials = credentials;
        this.quota = quota;
        this.quotaGauges = quotaGauges;
    }

    /** Starts serving; fails when the configuration cannot work (e.g. an unusable credentials file). */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Telemetry telemetry) {
        GatewayConfig.Auth auth = config.auth();
        if (auth.mode() == GatewayConfig.AuthMode.NONE) {
            LOG.warn("*** auth.mode is 'none': requests are NOT authenticated and every caller may do "
                    + "everything. Use this for local experiments only. ***");
            return start(vertx, config, telemetry, new NoAuthentication(), () -> { });
        }
        return ReloadingCredentialStore.start(vertx, auth.credentials(), auth.reloadInterval())
                .compose(store -> start(vertx, config, telemetry,
                        new SigV4Verifier(store, Set.copyOf(auth.regions()), SIGNING_SERVICE,
                                SigningPolicy.awsJson(auth.hosts()), Clock.systemUTC(),
                                SigV4Verifier.DEFAULT_SIGNING_KEY_CACHE_SIZE), store));
    }

    private static Future<Gateway> start(Vertx vertx, GatewayConfig config, Telemetry telemetry,
                                         RequestAuthenticator authenticator, AutoCloseable credentials) {
        Redis redis = new MeteredRedis(RedisClients.create(vertx, config.redis()), telemetry.registry());
        KeySchema keys = new KeySchema(config.redis().keyPrefix());
        RedisProbe probe = new RedisProbe(vertx, redis, config.redis().retry().probeInterval(), config.redis().commandTimeout(),
                config.redis().username());
        RedisRetryMetrics retryMetrics = new RedisRetryMetrics(telemetry.registry());
        RetryingUserStore retrying = new RetryingUserStore(vertx, new RedisUserStore(redis, keys,
                config.redis().commandTimeout(), config.redis().poolCacheTtl(), config.audit().maxLength(),
                config.redis().durability(), config.redis().username(), RedisClients.holdsEveryKeyOnOneNode(config.redis())),
                probe, config.redis().retry(), retryMetrics);
        retryMetrics.watch(probe, retrying);
        UserStore store = new MeteredUserStore(retrying, telemetry.registry());
        GatewayConfig.RateLimits limits = config.rateLimits();
        List<Operation<?>> operations = Operations.all(store);
        List<String> operationNames = operations.stream().map(Operation::name).toList();
        RequestObserver observer = new RequestObserver(telemetry, operationNames, limits);
        PoolRateLimiters limiters = new PoolRateLimiters(new RateLimitPolicy(limits), limits.maxLimiters(), limits.limiterIdleExpiry());
        ClusterQuota quota = new ClusterQuota(vertx, limits, limiters,
                new RedisReplicaRegistry(redis, keys, config.redis().commandTimeout(), limits.heartbeat().expiry()));
        ClusterQuotaGauges quotaGauges = new ClusterQuotaGauges(telemetry.registry(), limits, limiters, operationNames);
        RequestLifecycle lifecycle = new RequestLifecycle(observer);
        ApiHandler api = new ApiHandler(operations, lifecycle, authenticator,
                new Authorizer(config.auth().regions(), config.auth().accountId()), limiters);
        Gateway gateway = new Gateway(vertx, store, new ManagementServer(vertx, config.management(), store, telemetry),
                credentials, quota, quotaGauges);

        ConnectionTable connections = new ConnectionTable(config.http().maxConnections(),
                config.http().maxConnectionsPerClient(), telemetry.registry());
        int instances = config.http().verticles() > 0 ? config.http().verticles() : Telemetry.EVENT_LOOPS;
        List<GatewayVerticle> verticles = new CopyOnWriteArrayList<>();
        quotaGauges.register();
        return quota.start()
                .compose(counted -> startTls(vertx, config.http().tls(), telemetry))
                .compose(tls -> {
                    gateway.tls = tls;
                    return vertx.deployVerticle(() -> {
                        GatewayVerticle verticle = new GatewayVerticle(config.http(), api, lifecycle, connections, tls);
                        verticles.add(verticle);
                        return verticle;
                    }, new DeploymentOptions().setInstances(instances));
                })
                .compose(id -> {
                    gateway.deploymentId = id;
                    gateway.apiPort = verticles.get(0).actualPort();
                    return gateway.management.start();
                })
                .map(gateway)
                .onFailure(failure -> gateway.stop())
                .onSuccess(started -> {
                    LOG.info("idp-gateway serving {} on {}:{} (management port {}), redis {} {}, auth {}, {} request handlers, {} transport",
                            config.http().tls().enabled() ? "https" : "http", config.http().host(), started.apiPort(),
                            started.managementPort(),
                            config.redis().mode().name().toLowerCase(), RedisUrls.mask(config.redis().urls()),
                            config.auth().mode().name().toLowerCase(), instances,
                            vertx.isNativeTransportEnabled() ? "native" : "nio");
                });
    }

    /** The port the API listens on: the configured one, or the one the system chose for port 0. */
    public int apiPort() {
        return apiPort;
    }

    /** The port the management endpoints listen on, chosen by the system when configured as 0. */
    public int managementPort() {
        return management.actualPort();
    }

    private static Future<ApiTls> startTls(Vertx vertx, GatewayConfig.Tls config, Telemetry telemetry) {
        return config.enabled() ? ApiTls.start(vertx, config, new ApiTlsMetrics(telemetry.registry())) : Future.succeededFuture();
    }

    /**
     * Stops taking requests: readiness fails first, then the API servers stop accepting and wait for
     * in-flight requests (up to http.shutdownGracePeriod), then this replica leaves the cluster quota
     * (only now, so that the replicas never grant more than a cluster-wide limit together), then the
     * management server and Redis close.
     */
    public Future<Void> stop() {
        management.markShuttingDown();
        if (tls != null) {
            tls.close();
        }
        Future<Void> undeployed = deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
        return undeployed.eventually(this::leaveQuota).eventually(management::stop).eventually(store::close).andThen(closed -> {
            closeCredentials();
            LOG.info("stopped");
        });
    }

    private Future<Void> leaveQuota() {
        quotaGauges.remove();
        return quota.stop();
    }

    private void closeCredentials() {
        try {
            credentials.close();
        } catch (Exception e) {
            LOG.warn("credentials store did not close cleanly: {}", e.getMessage());
        }
    }
}
