package dev.idpgateway.http;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Serves the API: {@code POST /} has its body read ({@link BodyReader}) and goes through the
 * {@link ApiHandler}; every other method, path or malformed request still gets a well-formed AWS
 * error, never a default page, and ends through the same {@link RequestLifecycle} (one request id,
 * access log line and metric). One instance runs per event loop, all sharing the port.
 */
final class GatewayVerticle extends VerticleBase implements BodyReader.Receiver {
    /** How long the rest of an oversized body may take to arrive before the connection is cut. */
    private static final Duration OVERSIZED_BODY_LINGER = Duration.ofSeconds(2);
    private static final String MALFORMED = "The HTTP request is malformed or its headers are too large.";
    private static final String BODY_CUT_SHORT = "The connection closed before the request body ended.";
    private final GatewayConfig.Http config;
    private final ApiHandler api;
    private final RequestLifecycle lifecycle;
    private final ConnectionTable connections;
    /** Null: the API port speaks plain HTTP. */
    private final ApiTls tls;
    private final BodyReader body;
    private RequestReadDeadline readDeadline;
    private HttpServer server;

    GatewayVerticle(GatewayConfig.Http config, ApiHandler api, RequestLifecycle lifecycle, ConnectionTable connections,
                    ApiTls tls) {
        this.config = config;
        this.api = api;
        this.lifecycle = lifecycle;
        this.connections = connections;
        this.tls = tls;
        this.body = new BodyReader(config.maxBodyBytes(), this);
    }

    @Override
    public Future<?> start() {
        readDeadline = new RequestReadDeadline(vertx, connections, config.idleTimeout(), config.requestHeaderTimeout(),
                config.requestReadTimeout());
        readDeadline.start();

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
                .requestHandler(readDeadline.tracking(this::serve))
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

    /**
     * The API is served at exactly "/": no normalisation makes "//" or "/../" the API. A request target
     * that is no path (such as "*") or an HTTP/1.1 request without a valid Host cannot be an API request.
     */
    private void serve(HttpServerRequest request) {
        try {
            String path = request.path();
            if (path == null || !path.startsWith("/") || !hasValidAuthority(request)) {
                malformed(request);
            } else if (!HttpMethod.POST.equals(request.method()) || !"/".equals(path)) {
                // Not an API call: its body, if any, is left unread.
                lifecycle.fail(request.response(), lifecycle.begin(), ErrorCode.UNKNOWN_OPERATION.exception(
                        "Only POST / is served: the operation is named by X-Amz-Target."));
            } else {
                body.read(request);
            }
        } catch (RuntimeException e) {
            lifecycle.crashed(request.response(), lifecycle.begin(), e);
        }
    }

    /** HTTP/1.0 may leave the Host out; later versions must name a valid one. */
    private static boolean hasValidAuthority(HttpServerRequest request) {
        return request.version() == HttpVersion.HTTP_1_0 || request.authority() != null;
    }

    @Override
    public void received(HttpServerRequest request, Buffer body) {
        api.handle(request, body);
    }

    @Override
    public void tooLarge(HttpServerRequest request) {
        closeAfterBody(request);
        lifecycle.fail(request.response(), lifecycle.begin(), ErrorCode.SERIALIZATION.exception(
                "The request body is larger than " + config.maxBodyBytes() + " bytes."));
    }

    @Override
    public void malformed(HttpServerRequest request) {
        lifecycle.fail(request.response(), lifecycle.begin(), ErrorCode.SERIALIZATION.exception(MALFORMED));
    }

    @Override
    public void broken(HttpServerRequest request, Throwable failure) {
        if (failure instanceof HttpClosedException) {
            // The client left, or the read deadline cut it, mid-body: its doing, not a defect, and no one to answer.
            lifecycle.fail(request.response(), lifecycle.begin(), ErrorCode.SERIALIZATION.exception(BODY_CUT_SHORT));
            return;
        }
        lifecycle.crashed(request.response(), lifecycle.begin(), failure);
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
        malformed(request);
    }
}
