package dev.idpgateway.dev;

import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import dev.idpgateway.testing.ReplicaSync;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A primary, one replica and three sentinels (quorum 2), real processes on 127.0.0.1, for tests of
 * failover. Sentinels notice a dead primary after {@link #DOWN_AFTER}. Blocking methods: call them
 * from a test thread, never an event loop.
 */
public final class EmbeddedSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "mymaster";
    public static final Duration DOWN_AFTER = Duration.ofMillis(1000);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int SENTINELS = 3;
    private static final int REPLICAS = 2;

    private final Vertx vertx;
    private final List<EmbeddedRedis> servers = new ArrayList<>();
    private final List<EmbeddedRedis> sentinels = new ArrayList<>();
    private final List<Redis> sentinelClients = new ArrayList<>();

    private EmbeddedSentinel(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts everything and returns once every sentinel knows the replicas and the other sentinels. */
    public static EmbeddedSentinel start(Vertx vertx) {
        EmbeddedSentinel setup = new EmbeddedSentinel(vertx);
        try {
            // Any of them may be the primary after a failover.
            EmbeddedRedis primary = EmbeddedRedis.builder().serverArgs(ReplicaSync.immediate()).start();
            setup.servers.add(primary);
            // Two replicas: after a failover the new primary still has one, for the durability option's WAIT.
            for (int i = 0; i < REPLICAS; i++) {
                setup.servers.add(EmbeddedRedis.builder().serverArgs(ReplicaSync.immediate())
                        .serverArgs("--replicaof", "127.0.0.1", Integer.toString(primary.port())).start());
            }
            for (int i = 0; i < SENTINELS; i++) {
                EmbeddedRedis sentinel = EmbeddedRedis.builder()
                        .configFile(String.join("\n",
                                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primary.port() + " 2",
                                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
                                "sentinel failover-timeout " + MASTER_NAME + " 10000", ""))
                        .serverArgs("--sentinel")
                        .readyLine("+monitor master")
                        .start();
                setup.sentinels.add(sentinel);
                setup.sentinelClients.add(Redis.createClient(vertx, sentinel.url()));
            }
            setup.awaitTopologyKnown();
            return setup;
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    private void awaitTopologyKnown() {
        for (Redis sentinel : sentinelClients) {
            Blocking.await(Polling.until(vertx, "sentinel sees the replicas and its peers", TIMEOUT, () -> Future.all(
                    sentinel.send(Request.cmd(Command.SENTINEL).arg("REPLICAS").arg(MASTER_NAME)),
                    sentinel.send(Request.cmd(Command.SENTINEL).arg("SENTINELS").arg(MASTER_NAME)))
                    .map(replies -> replies.<Response>resultAt(0).size() == REPLICAS
                            && replies.<Response>resultAt(1).size() == SENTINELS - 1)));
        }
    }

    /** The sentinels' URLs, comma-separated as {@code IDP_REDIS_URL} takes them in sentinel mode. */
    public String sentinelUrls() {
        return sentinels.stream().map(EmbeddedRedis::url).collect(Collectors.joining(","));
    }

    /** The port of the primary as the first sentinel reports it now. */
    public int primaryPort() {
        Response address = Blocking.await(sentinelClients.get(0).send(
                Request.cmd(Command.SENTINEL).arg("GET-MASTER-ADDR-BY-NAME").arg(MASTER_NAME)));
        return address.get(1).toInteger();
    }

    /** The server process listening on {@code port}: the primary or a replica. */
    public EmbeddedRedis server(int port) {
        return servers.stream().filter(server -> server.port() == port).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        sentinelClients.forEach(Redis::close);
        sentinels.forEach(EmbeddedRedis::close);
        servers.forEach(EmbeddedRedis::close);
    }
}
