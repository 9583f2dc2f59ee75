package dev.idpgateway.observability;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.redis.RedisUrls;
import dev.idpgateway.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.tracing.TracingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The operational endpoints, on their own port so that they are never exposed with the API:
 * {@code GET /health/live} (the process serves) and {@code GET /health/ready} (Redis answers and the
 * scripts are loaded, and the gateway is not shutting down) and {@code GET /metrics} (Prometheus text).
 */
public final class ManagementServer {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration STARTUP_CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final Vertx vertx;
    private final GatewayConfig.Management config;
    private final UserStore store;
    private final Telemetry telemetry;
    private volatile boolean shuttingDown;
    private HttpServer server;
    /** The timer of the latest start-up readiness retry (-1: none yet), cancelled when the gateway stops. */
    private volatile long nextCheck = -1;

    public ManagementServer(Vertx vertx, GatewayConfig.Management config, UserStore store, Telemetry telemetry) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.telemetry = telemetry;
    }

    /** The port it listens on: the configured one, or the one the system chose for port 0. */
    public int actualPort() {
        return server.actualPort();
    }

    public Future<HttpServer> start() {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(context -> respond(context, 200, "UP", null));
        router.get("/health/ready").handler(this::ready);
        router.get("/metrics").handler(this::metrics);
        // Probes and scrapes every few seconds would drown the request traces. Kubelets and Prometheus
        // speak HTTP/1.1: no cleartext HTTP/2 upgrade, as on the API port.
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setTracingPolicy(TracingPolicy.IGNORE)
                        .setHttp2ClearTextEnabled(false))
                .requestHandler(router);
        return server.listen(config.port(), config.host()).onSuccess(listening -> checkUntilReady(false));
    }

    /**
     * Until the store is ready for the first time, checks it every {@link #STARTUP_CHECK_INTERVAL} and logs each
     * failure as one line that says why, so that a gateway that never becomes ready explains itself in its log.
     * The first check also warms the script cache.
     */
    private void checkUntilReady(boolean failedBefore) {
        store.checkReady().onComplete(ready -> {
            if (failedBefore) {
                LOG.info("redis ready");
            }
        }, failure -> {
            if (shuttingDown) {
                return;
            }
            LOG.warn("redis not ready: {} (checking again in {} s)", RedisUrls.maskIn(failure.getMessage()),
                    STARTUP_CHECK_INTERVAL.toSeconds());
            nextCheck = vertx.setTimer(STARTUP_CHECK_INTERVAL.toMillis(), id -> checkUntilReady(true));
        });
    }

    /** From now on readiness fails, so that load balancers stop sending before the API server drains. */
    public void markShuttingDown() {
        shuttingDown = true;
        vertx.cancelTimer(nextCheck);
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void ready(RoutingContext context) {
        if (shuttingDown) {
            respond(context, 503, "DOWN", "shutting down");
            return;
        }
        store.checkReady().onComplete(
                ok -> respond(context, 200, "UP", null),
                failure -> respond(context, 503, "DOWN", "redis: " + RedisUrls.maskIn(failure.getMessage())));
    }

    private void metrics(RoutingContext context) {
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).end(telemetry.scrape());
    }

    private static void respond(RoutingContext context, int status, String state, String reason) {
        JsonObject body = new JsonObject().put("status", state);
        if (reason != null) {
            body.put("reason", reason);
        }
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
    }
}
