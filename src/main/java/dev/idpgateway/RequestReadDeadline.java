package dev.idpgateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Cuts off clients that send too slowly. The idle timeout alone lets a client hold a connection
 * forever by sending one byte just often enough. Here a request's headers must arrive within the
 * idle timeout plus the read timeout, counted from the connection's opening or the end of the
 * previous request (so that a keep-alive connection idles as long as before), and its body within
 * the read timeout of its headers.
 *
 * <p>One instance per verticle: all its connections live on that verticle's event loop, so the
 * bookkeeping needs no locking. Each connection is checked by one periodic timer, not per request.
 */
final class RequestReadDeadline {
    private final Vertx vertx;
    private final long bodyNanos;
    private final long headersNanos;
    private final long checkIntervalMillis;
    private final Map<HttpConnection, Watch> watches = new HashMap<>();

    RequestReadDeadline(Vertx vertx, Duration idleTimeout, Duration readTimeout) {
        this.vertx = vertx;
        this.bodyNanos = readTimeout.toNanos();
        this.headersNanos = idleTimeout.plus(readTimeout).toNanos();
        this.checkIntervalMillis = Math.max(50, Math.min(1000, readTimeout.toMillis() / 4));
    }

    /** Starts watching a new connection; {@link #forget} it when it closes. */
    void watch(HttpConnection connection) {
        watches.put(connection, new Watch(connection));
    }

    void forget(HttpConnection connection) {
        Watch watch = watches.remove(connection);
        if (watch != null) {
            vertx.cancelTimer(watch.timer);
        }
    }

    /** Wraps the request handler so that the deadline knows which request the connection is reading. */
    Handler<HttpServerRequest> tracking(Handler<HttpServerRequest> next) {
        return request -> {
            Watch watch = watches.get(request.connection());
            if (watch != null) {
                watch.reading(request);
            }
            next.handle(request);
        };
    }

    private final class Watch {
        private final HttpConnection connection;
        private final long timer;
        /** The request whose body is being read, or null while waiting for the next request's headers. */
        private HttpServerRequest current;
        /** When the connection started to wait for what it is reading now. */
        private long since = System.nanoTime();

        Watch(HttpConnection connection) {
            this.connection = connection;
            this.timer = vertx.setPeriodic(checkIntervalMillis, tick -> check());
        }

        void reading(HttpServerRequest request) {
            current = request;
            since = System.nanoTime();
        }

        private void check() {
            long now = System.nanoTime();
            if (current == null) {
                if (now - since > headersNanos) {
                    connection.close();
                }
            } else if (current.isEnded()) {
                // Read whole: the next request's wait starts now (within one check interval of its true start).
                current = null;
                since = now;
            } else if (now - since > bodyNanos) {
                connection.close();
            }
        }
    }
}
