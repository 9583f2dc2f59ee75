package dev.idpgateway;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.protocol.AwsResponses;
import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.protocol.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;

/**
 * Serves the API: {@code POST /} goes through the {@link ApiHandler}; every other method, path or
 * malformed request still gets a well-formed AWS error, never a default page. One instance runs per
 * event loop, all sharing the port.
 */
final class GatewayVerticle extends VerticleBase {
    private final GatewayConfig.Http config;
    private final ApiHandler api;
    private HttpServer server;

    GatewayVerticle(GatewayConfig.Http config, ApiHandler api) {
        this.config = config;
        this.api = api;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route("/").method(HttpMethod.POST)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(api);
        router.route().handler(context -> AwsResponses.error(context.response(), RequestIds.next(),
                ErrorCode.UNKNOWN_OPERATION.exception("Only POST / is served: the operation is named by X-Amz-Target.")));
        router.route().failureHandler(this::fail);

        server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(config.host())
                        .setPort(config.port())
                        .setIdleTimeout((int) Math.max(1, config.idleTimeout().toSeconds()))
                        .setTcpNoDelay(true)
                        // AWS JSON clients speak HTTP/1.1 here; no cleartext HTTP/2 upgrade to attack or sign around.
                        .setHttp2ClearTextEnabled(false))
                .requestHandler(router)
                .invalidRequestHandler(this::rejectMalformed);
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(Duration.ofSeconds(10).toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void fail(RoutingContext context) {
        if (context.statusCode() == 413) {
            // The rest of the body is still on its way: answer, then drop the connection.
            HttpConnection connection = context.request().connection();
            context.response().endHandler(ended -> connection.close());
            AwsResponses.error(context.response(), RequestIds.next(), ErrorCode.SERIALIZATION.exception(
                    "The request body is larger than " + config.maxBodyBytes() + " bytes."));
            return;
        }
        AwsResponses.error(context.response(), RequestIds.next(), ErrorCode.INTERNAL_ERROR.exception());
    }

    /** Requests the HTTP codec could not read (oversized headers, bad request line): answer and close. */
    private void rejectMalformed(HttpServerRequest request) {
        request.response().endHandler(ended -> request.connection().close());
        AwsResponses.error(request.response(), RequestIds.next(),
                ErrorCode.SERIALIZATION.exception("The HTTP request is malformed or its headers are too large."));
    }
}
