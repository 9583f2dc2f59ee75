package dev.idpgateway.http;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.protocol.AwsResponses;
import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.protocol.RequestIds;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Serves the API: {@code POST /} goes through the {@link ApiHandler}; every other method, path or
 * malformed request still gets a well-formed AWS error, never a default page. One instance runs per
 * event loop, all sharing the port.
 */
final class GatewayVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
    /** How long the rest of an oversized body may take to arrive before the connection is cut. */
    private static final Duration OVERSIZED_BODY_LINGER = Duration.ofSeconds(2);
    private static final String MALFORMED = "The HTTP request is malformed or its headers are too large.";
    private final GatewayConfig.Http config;
    private final ApiHandler api;
    private final ConnectionTable connections;
    /** Null: the API port speaks plain HTTP. */
    private final ApiTls tls;
    private RequestReadDeadline readDeadline;
    private HttpServer server;

    GatewayVerticle(GatewayConfig.Http config, ApiHandler api, ConnectionTable connections, ApiTls tls) {
        this.config = config;
        this.api = api;
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
                .handler(GatewayVerticle::requireExactRoot)
                .handler(api);
        router.route().handler(GatewayVerticle::unknownOperation);
        router.route().failureHandler(this::fail);

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
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
    private static void requireExactRoot(RoutingContext context) {
        if ("/".equals(context.request().path())) {
            context.next();
        } else {
            unknownOperation(context);
        }
    }

    private static void unknownOperation(RoutingContext context) {
        AwsResponses.error(context.response(), RequestIds.next(),
                ErrorCode.UNKNOWN_OPERATION.exception("Only POST / is served: the operation is named by X-Amz-Target."));
    }

    private void fail(RoutingContext context) {
        if (context.statusCode() == 413) {
            closeAfterBody(context.request());
            AwsResponses.error(context.response(), RequestIds.next(), ErrorCode.SERIALIZATION.exception(
                    "The request body is larger than " + config.maxBodyBytes() + " bytes."));
            return;
        }
        if (context.statusCode() >= 400 && context.statusCode() < 500) {
            // The router's own refusals (e.g. a request target that is not a path, such as "*").
            AwsResponses.error(context.response(), RequestIds.next(), ErrorCode.SERIALIZATION.exception(MALFORMED));
            return;
        }
        String requestId = RequestIds.next();
        LOG.error("request failed in the HTTP layer: request_id={} status={} error={}", requestId,
                context.statusCode(), String.valueOf(context.failure()));
        AwsResponses.error(context.response(), requestId, ErrorCode.INTERNAL_ERROR.exception());
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
        AwsResponses.error(request.response(), RequestIds.next(), ErrorCode.SERIALIZATION.exception(MALFORMED));
    }
}
