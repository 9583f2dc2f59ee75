package dev.idpgateway.http;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.observability.ObservedRequest;
import dev.idpgateway.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Serves the API: {@code POST /} goes through the {@link ApiHandler}; every other method, path or
 * malformed request still gets a well-formed AWS error, never a default page, and ends through the
 * same {@link RequestLifecycle} (one request id, access log line and metric). One instance runs per
 * event loop, all sharing the port.
 */
final class GatewayVerticle extends VerticleBase {
    /** How long the rest of an oversized body may take to arrive before the connection is cut. */
    private static final Duration OVERSIZED_BODY_LINGER = Duration.ofSeconds(2);
    private static final String MALFORMED = "The HTTP request is malformed or its headers are too large.";
    private final GatewayConfig.Http config;
    private final ApiHandler api;
    private final RequestLifecycle lifecycle;
    private final ConnectionTable connections;
    /** Null: the API port speaks plain HTTP. */
    private final ApiTls tls;
    private RequestReadDeadline readDeadline;
    private HttpServer server;

    GatewayVerticle(GatewayConfig.Http config, ApiHandler api, RequestLifecycle lifecycle, ConnectionTable connections,
                    ApiTls tls) {
        this.config = config;
        this.api = api;
        this.lifecycle = lifecycle;
        this.connections = connections;
        this.tls = tls;
    }

    @Override
    public Future<?> start() {
        readDeadline = new RequestReadDeadline(vertx, connections, config.idleTimeout(), config.requestHeaderTimeout(),
                config.requestReadTimeout());
        readDeadline.start();
        Router router = Router.router(vertx);
        router.route("/").method(HttpMethod.POST)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::requireExactRoot)
                .handler(api);
        router.route().handler(this::unknownOperation);
        router.route().failureHandler(this::fail);

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                // Port 0: one port the system chooses, shared by every instance (Vert.x shares a negative port).
                .setPort(config.port() == 0 ? -1 : config.port())
                .setIdleTimeout((int) Math.max(1, config.idleTimeout().toSeconds()))
                .setTcpNoDelay(true)
                // Plain AWS JSON clients speak HTTP/1.1; no cleartext HTTP/2 upgrade to attack or sign around.
                // Over TLS, HTTP/2 is offered through ALPN.
                .setHttp2ClearTextEnabled(false);
        server = vertx.createHttpServer(tls == null ? options : tls.configure(options))
                .connectionHandler(this::accept)
                .requestHandler(readDeadline.tracking(router))
                .invalidRequestHandler(this::rejectMalformed);
        return tls == null ? server.listen() : server.listen().onSuccess(tls::listening);
    }

    /** The port this instance listens on: the configured one, or the one the system chose for port 0. */
    int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        // Stops accepting at once; in-flight requests get the grace period to finish, then connections close.
        return server == null ? Future.succeededFuture() : server.shutdown(config.shutdownGracePeriod().toMillis(),
                TimeUnit.MILLISECONDS).onComplete(closed -> readDeadline.stop());
    }

    private void accept(HttpConnection connection) {
        ConnectionTable.OpenConnection admitted = connections.admit(connection);
        if (admitted == null) {
            connection.close();
            return;
        }
        readDeadline.watch(admitted);
        connection.closeHandler(closed -> {
            readDeadline.forget(connection);
            connections.release(admitted);
        });
    }

    /** The router matches normalised paths ("//" and "/../" are "/"): the API is served at exactly "/". */
    private void requireExactRoot(RoutingContext context) {
        if ("/".equals(context.request().path())) {
            context.next();
        } else {
            unknownOperation(context);
        }
    }

    private void unknownOperation(RoutingContext context) {
        lifecycle.fail(context.response(), lifecycle.current(context),
                ErrorCode.UNKNOWN_OPERATION.exception("Only POST / is served: the operation is named by X-Amz-Target."));
    }

    private void fail(RoutingContext context) {
        ObservedRequest observed = lifecycle.current(context);
        if (context.statusCode() == 413) {
            closeAfterBody(context.request());
            lifecycle.fail(context.response(), observed, ErrorCode.SERIALIZATION.exception(
                    "The request body is larger than " + config.maxBodyBytes() + " bytes."));
        } else if (context.statusCode() >= 400 && context.statusCode() < 500) {
            // The router's own refusals (e.g. a request target that is not a path, such as "*").
            lifecycle.fail(context.response(), observed, ErrorCode.SERIALIZATION.exception(MALFORMED));
        } else {
            Throwable failure = context.failure();
            lifecycle.crashed(context.response(), observed, failure != null ? failure
                    : new IllegalStateException("the router failed the request with status " + context.statusCode()));
        }
    }

    /**
     * The rest of an oversized body may still be on its way. Closing now would make the kernel reset
     * the connection and the client lose the answer: say the connection closes, let the body drain
     * (it is discarded), and close when it has arrived or after a short linger.
     */
    private void closeAfterBody(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            // One stream of a shared connection (and HTTP/2 has no Connection header): the answer ends the stream.
            return;
        }
        HttpConnection connection = request.connection();
        request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        if (request.isEnded()) {
            request.response().endHandler(ended -> connection.close());
            return;
        }
        long linger = vertx.setTimer(OVERSIZED_BODY_LINGER.toMillis(), fired -> connection.close());
        request.endHandler(ended -> {
            vertx.cancelTimer(linger);
            connection.close();
        });
    }

    /** Requests the HTTP codec could not read (oversized headers, bad request line): answer and close. */
    private void rejectMalformed(HttpServerRequest request) {
        request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE).endHandler(ended -> request.connection().close());
        lifecycle.fail(request.response(), lifecycle.begin(), ErrorCode.SERIALIZATION.exception(MALFORMED));
    }
}
