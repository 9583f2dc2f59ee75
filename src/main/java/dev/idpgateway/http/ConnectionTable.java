package dev.idpgateway.http;

import dev.idpgateway.observability.ConnectionEvent;
import dev.idpgateway.observability.OpenConnectionsGauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;

import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The API connections open now, across all request handlers (one per event loop). Each open
 * connection holds heap, so their number is capped ({@code http.maxConnections}). When the table is
 * full, the oldest idle connection (no request in progress: one still waiting for or receiving its
 * request's headers is idle) is closed to admit the new one, so that connections that send nothing
 * cannot lock callers out; only when every connection has a request in progress is the new one
 * refused. One remote address may hold at most {@code http.maxConnectionsPerClient} of them.
 *
 * <p>Race-free without locks: counts are atomic, and a connection is either claimed by its own
 * event loop for a request or evicted by another loop, never both (one compare-and-set decides).
 * While the table is not full, admitting costs one counter and one insertion into the ordered index.
 */
final class ConnectionTable {
    private final int max;
    private final ClientCounts perClient;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong openings = new AtomicLong();
    /** In order of opening: the eviction candidates, oldest first. */
    private final ConcurrentSkipListSet<OpenConnection> byAge =
            new ConcurrentSkipListSet<>(Comparator.comparingLong(OpenConnection::order));
    private final ConnectionEvent refusedFull;
    private final ConnectionEvent refusedPerClient;
    private final ConnectionEvent evicted;
    final ConnectionEvent headerTimedOut;
    final ConnectionEvent bodyTimedOut;

    ConnectionTable(int max, int maxPerClient, MeterRegistry registry) {
        this.max = max;
        this.perClient = new ClientCounts(maxPerClient);
        OpenConnectionsGauge.register(registry, open);
        String refused = "idp.http.connections.refused";
        this.refusedFull = ConnectionEvent.register(registry, refused, "full",
                "API connections closed on arrival: http.maxConnections were open, none of them idle",
                "refusing connections: http.maxConnections (" + max + ") are open with requests in progress; "
                        + "last refused from {}; {} refused so far");
        this.refusedPerClient = ConnectionEvent.register(registry, refused, "per_client",
                "API connections closed on arrival: their address had http.maxConnectionsPerClient open",
                "refusing connections: http.maxConnectionsPerClient (" + maxPerClient + ") are open from {}; "
                        + "{} refused so far");
        this.evicted = ConnectionEvent.register(registry, "idp.http.connections.evicted", null,
                "idle API connections closed to admit a new one when http.maxConnections were open",
                "closing idle connections: http.maxConnections (" + max + ") are open; last closed from {}; "
                        + "{} closed so far");
        String timedOut = "idp.http.connections.timed_out";
        this.headerTimedOut = ConnectionEvent.register(registry, timedOut, "header",
                "API connections closed because a request's headers were not complete in time",
                "closing connections whose request headers are late (http.requestHeaderTimeout); last from {}; "
                        + "{} so far");
        this.bodyTimedOut = ConnectionEvent.register(registry, timedOut, "body",
                "API connections closed because a request's body did not arrive within http.requestReadTimeout",
                "closing connections whose request body is late (http.requestReadTimeout); last from {}; {} so far");
    }

    /**
     * Admits a connection just accepted, evicting the oldest idle one if the table is full.
     *
     * @return its entry, to {@link #release} when it closes; null if it is refused (the caller closes it)
     */
    OpenConnection admit(HttpConnection connection) {
        SocketAddress remote = connection.remoteAddress();
        String client = remote == null ? "unknown" : String.valueOf(remote.hostAddress());
        if (!perClient.tryAcquire(client)) {
            refusedPerClient.record(client);
            return null;
        }
        // Over the cap, the admitted connection replaces an evicted one that is closing: the count
        // stays above max only until the evicted ones' close handlers have run.
        if (open.incrementAndGet() > max && !evictOldestIdle()) {
            open.decrementAndGet();
            perClient.release(client);
            refusedFull.record(client);
            return null;
        }
        OpenConnection admitted = new OpenConnection(connection, client, openings.incrementAndGet());
        byAge.add(admitted);
        return admitted;
    }

    void release(OpenConnection closed) {
        byAge.remove(closed);
        open.decrementAndGet();
        perClient.release(closed.client);
    }

    private boolean evictOldestIdle() {
        for (OpenConnection candidate : byAge) {
            if (candidate.phase.compareAndSet(Phase.IDLE, Phase.EVICTED)) {
                evicted.record(candidate.client);
                // Safe from any thread: the close runs on the connection's own event loop.
                candidate.connection.close();
                return true;
            }
        }
        return false;
    }

    private enum Phase { IDLE, BUSY, EVICTED }

    /** An admitted connection. Its own event loop moves it between idle and busy; any loop may evict it while idle. */
    static final class OpenConnection {
        private final HttpConnection connection;
        private final String client;
        private final long order;
        private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.IDLE);

        private OpenConnection(HttpConnection connection, String client, long order) {
            this.connection = connection;
            this.client = client;
            this.order = order;
        }

        HttpConnection connection() {
            return connection;
        }

        String client() {
            return client;
        }

        private long order() {
            return order;
        }

        /** A request's headers arrived: from now on it is not evicted. False if it was evicted already (it is closing). */
        boolean startRequest() {
            return phase.compareAndSet(Phase.IDLE, Phase.BUSY) || phase.get() == Phase.BUSY;
        }

        /** The response was sent: it waits for the next request and may be evicted again. */
        void finishRequest() {
            phase.compareAndSet(Phase.BUSY, Phase.IDLE);
        }
    }

    /** Open connections per remote address; 0 as the cap counts nothing. */
    private static final class ClientCounts {
        private final int max;
        private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

        ClientCounts(int max) {
            this.max = max;
        }

        boolean tryAcquire(String client) {
            if (max == 0) {
                return true;
            }
            boolean[] acquired = {false};
            open.compute(client, (address, count) -> {
                int now = count == null ? 0 : count;
                acquired[0] = now < max;
                return acquired[0] ? now + 1 : now;
            });
            return acquired[0];
        }

        void release(String client) {
            if (max != 0) {
                open.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
            }
        }
    }
}
