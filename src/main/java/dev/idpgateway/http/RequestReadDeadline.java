package dev.idpgateway.http;

import dev.idpgateway.http.ConnectionTable.OpenConnection;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts off clients that send too slowly. The idle timeout alone lets a client hold a connection
 * forever by sending one byte just often enough, and lets a connection that sends nothing wait the
 * whole idle timeout. Here a new connection's first request headers must be complete within the
 * header timeout of its opening; a kept-alive connection's next request headers within the idle
 * timeout plus the header timeout of its previous response being sent (so that it idles as long as
 * before); and a request's body within the read timeout of its headers.
 *
 * <p>One instance per verticle, with one periodic timer that checks all of that verticle's
 * connections: they all live on its event loop, so the bookkeeping needs no locking. A deadline is
 * enforced up to one check interval late. A request leaves the books as soon as its response is written, so
 * that an answered request's objects are garbage at once rather than kept until the next check.
 */
final class RequestReadDeadline {
    private final Vertx vertx;
    private final ConnectionTable table;
    private final long firstHeaderNanos;
    private final long nextHeaderNanos;
    private final long bodyNanos;
    private final long checkIntervalMillis;
    private final Map<HttpConnection, Watch> watches = new HashMap<>();
    private long timer = -1;

    RequestReadDeadline(Vertx vertx, ConnectionTable table, Duration idleTimeout, Duration headerTimeout,
                        Duration readTimeout) {
        this.vertx = vertx;
        this.table = table;
        this.firstHeaderNanos = headerTimeout.toNanos();
        this.nextHeaderNanos = idleTimeout.plus(headerTimeout).toNanos();
        this.bodyNanos = readTimeout.toNanos();
        long shortest = Math.min(headerTimeout.toMillis(), readTimeout.toMillis());
        this.checkIntervalMillis = Math.max(50, Math.min(1000, shortest / 5));
    }

    void start() {
        timer = vertx.setPeriodic(checkIntervalMillis, tick -> check());
    }

    void stop() {
        vertx.cancelTimer(timer);
    }

    /** Starts watching a connection just admitted; {@link #forget} it when it closes. */
    void watch(OpenConnection connection) {
        watches.put(connection.connection(), new Watch(connection));
    }

    void forget(HttpConnection connection) {
        watches.remove(connection);
    }

    /**
     * Wraps the request handler so that the deadline knows which request the connection is reading.
     * A request on a connection that was just evicted is dropped: the connection is closing, so its
     * answer could not be delivered, and the caller must not lose the answer to a change made.
     */
    Handler<HttpServerRequest> tracking(Handler<HttpServerRequest> next) {
        return request -> {
            Watch watch = watches.get(request.connection());
            if (watch == null || watch.reading(request)) {
                next.handle(request);
            }
        };
    }

    private void check() {
        long now = System.nanoTime();
        // Closing may run the close handler at once, which forgets the connection: not while iterating.
        List<Watch> late = new ArrayList<>();
        for (Watch watch : watches.values()) {
            if (watch.isLate(now)) {
                late.add(watch);
            }
        }
        for (Watch watch : late) {
            (watch.inFlight.isEmpty() ? table.headerTimedOut : table.bodyTimedOut).record(watch.connection.client());
            watch.connection.connection().close();
        }
    }

    /** A request whose response has not been sent yet, and when its headers arrived. */
    private record InFlight(HttpServerRequest request, long since) {
    }

    private final class Watch {
        private final OpenConnection connection;
        /**
         * The requests in progress: at most one on HTTP/1.1, several streams at once on HTTP/2. The
         * connection is busy (never evicted) while there is one.
         */
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>(1);
        /** When the connection started to wait for its next request's headers. */
        private long idleSince = System.nanoTime();
        private boolean keptAlive;

        Watch(OpenConnection connection) {
            this.connection = connection;
        }

        /** @return false if the connection was evicted before this request's headers arrived */
        boolean reading(HttpServerRequest request) {
            InFlight entry = new InFlight(request, System.nanoTime());
            inFlight.add(entry);
            // Idle from the moment its response is written, before the bytes leave: once the client has its answer
            // it may open another connection, and a full table must then find this one idle. (The end handler ran
            // after the write, and belongs to handlers that close the connection after their response.)
            request.response().headersEndHandler(written -> answered(entry));
            return connection.startRequest();
        }

        /** When the last request in progress is answered, the wait for the next one starts: the connection is idle. */
        private void answered(InFlight entry) {
            inFlight.remove(entry);
            if (inFlight.isEmpty()) {
                idleSince = System.nanoTime();
                keptAlive = true;
                connection.finishRequest();
            }
        }

        boolean isLate(long now) {
            if (inFlight.isEmpty()) {
                return now - idleSince > (keptAlive ? nextHeaderNanos : firstHeaderNanos);
            }
            for (InFlight entry : inFlight) {
                if (!entry.request().isEnded() && now - entry.since() > bodyNanos) {
                    return true;
                }
            }
            return false;
        }
    }
}
