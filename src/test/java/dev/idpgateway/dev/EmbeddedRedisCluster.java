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

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of real redis-server processes on 127.0.0.1 for tests: the slots split evenly over
 * the masters, optionally one replica per master for failover tests. The jar's redis-server has no
 * {@code redis-cli --cluster create}, so the cluster is formed by hand: CLUSTER ADDSLOTS on each
 * master, CLUSTER MEET, CLUSTER REPLICATE on each replica, then waiting until every node says
 * {@code cluster_state:ok} and every replica is in sync. Node indexes: the masters first
 * ({@code 0..masters-1}), then the replica of master {@code i} at {@code masters + i}. Blocking
 * methods: call them from a test thread, never an event loop.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    public static final int SLOTS = 16384;
    /** Redis 6.2 has no cluster-port option: the bus listens on the client port + 10000. */
    private static final int BUS_PORT_OFFSET = 10000;
    private static final int NODE_START_ATTEMPTS = 3;
    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);
    private static final int MIGRATE_BATCH = 100;
    /** Masters only cannot fail over: a relaxed timeout keeps a busy machine from marking a node failed. */
    private static final Duration NODE_TIMEOUT = Duration.ofMillis(2000);
    /** With replicas: a dead master is failed and its replica elected within about two seconds. */
    public static final Duration FAILOVER_NODE_TIMEOUT = Duration.ofMillis(1000);

    private final Vertx vertx;
    private final List<EmbeddedRedis> nodes = new ArrayList<>();
    private final List<Redis> clients = new ArrayList<>();
    private final int masters;

    private EmbeddedRedisCluster(Vertx vertx, int masters) {
        this.vertx = vertx;
        this.masters = masters;
    }

    /** Starts {@code masters} nodes and forms the cluster; returns once every node reports it ok. */
    public static EmbeddedRedisCluster start(Vertx vertx, int masters) {
        return start(vertx, masters, false, IntUnaryOperator.identity());
    }

    /**
     * Like {@link #start(Vertx, int)}, each node announcing (in CLUSTER SLOTS, to clients) the port that
     * {@code announcedPort} gives for its own, e.g. that of a proxy in front of it. Set at start: Redis 6.2
     * keeps announcing a node's own old port after a CONFIG SET of cluster-announce-port.
     */
    public static EmbeddedRedisCluster start(Vertx vertx, int masters, IntUnaryOperator announcedPort) {
        return start(vertx, masters, false, announcedPort);
    }

    /**
     * Like {@link #start(Vertx, int)}, with one replica per master and {@link #FAILOVER_NODE_TIMEOUT};
     * returns once every replica is in sync with its master.
     */
    public static EmbeddedRedisCluster startWithReplicas(Vertx vertx, int masters) {
        return start(vertx, masters, true, IntUnaryOperator.identity());
    }

    private static EmbeddedRedisCluster start(Vertx vertx, int masters, boolean withReplicas, IntUnaryOperator announcedPort) {
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(vertx, masters);
        try {
            Duration nodeTimeout = withReplicas ? FAILOVER_NODE_TIMEOUT : NODE_TIMEOUT;
            for (int i = 0; i < (withReplicas ? 2 * masters : masters); i++) {
                cluster.startNode(nodeTimeout, announcedPort);
            }
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startNode(Duration nodeTimeout, IntUnaryOperator announcedPort) {
        // The tests run in two JVMs at once: the other may take a port between the check and the bind.
        for (int attempt = 1; ; attempt++) {
            int port = portWithFreeBusPort();
            try {
                EmbeddedRedis node = EmbeddedRedis.builder().port(port)
                        .serverArgs("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                                "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                                // The bus stays on port + 10000: only what clients are told changes.
                                "--cluster-announce-port", Integer.toString(announcedPort.applyAsInt(port)))
                        .serverArgs(ReplicaSync.immediate())
                        .start();
                nodes.add(node);
                clients.add(Redis.createClient(vertx, node.url()));
                return;
            } catch (IllegalStateException notStarted) {
                if (attempt == NODE_START_ATTEMPTS) {
                    throw notStarted;
                }
            }
        }
    }

    private void form() {
        for (int i = 0; i < masters; i++) {
            Request addSlots = Request.cmd(Command.CLUSTER).arg("ADDSLOTS");
            for (int slot = i * SLOTS / masters; slot < (i + 1) * SLOTS / masters; slot++) {
                addSlots.arg(slot);
            }
            send(i, addSlots);
        }
        for (int i = 1; i < nodes.size(); i++) {
            send(0, Request.cmd(Command.CLUSTER).arg("MEET").arg("127.0.0.1").arg(nodes.get(i).port()));
        }
        awaitEveryNode("every node knows every other", info -> info.contains("cluster_known_nodes:" + nodes.size()));
        for (int replica = masters; replica < nodes.size(); replica++) {
            String masterId = nodeId(replica - masters);
            int node = replica;
            // A replica may not have learnt its master's id from the gossip yet: asked again until it has.
            Blocking.await(Polling.until(vertx, "node " + node + " replicates " + masterId, FORMATION_TIMEOUT,
                    () -> clients.get(node).send(Request.cmd(Command.CLUSTER).arg("REPLICATE").arg(masterId)).map(true)));
            Blocking.await(Polling.until(vertx, "replica " + node + " in sync", FORMATION_TIMEOUT,
                    () -> clients.get(node).send(Request.cmd(Command.INFO).arg("replication"))
                            .map(info -> info.toString().contains("master_link_status:up"))));
        }
        awaitEveryNode("cluster_state:ok", info -> info.contains("cluster_state:ok"));
    }

    private void awaitEveryNode(String what, Predicate<String> clusterInfo) {
        for (int i = 0; i < nodes.size(); i++) {
            int node = i;
            Blocking.await(Polling.until(vertx, what + " (node " + node + ")", FORMATION_TIMEOUT,
                    () -> clients.get(node).send(Request.cmd(Command.CLUSTER).arg("INFO"))
                            .map(info -> clusterInfo.test(info.toString()))));
        }
    }

    /** The seed URLs for a cluster client, comma-separated as {@code IDP_REDIS_URL} takes them. */
    public String urls() {
        return nodes.stream().map(EmbeddedRedis::url).collect(Collectors.joining(","));
    }

    public List<EmbeddedRedis> nodes() {
        return List.copyOf(nodes);
    }

    /** Sends one command to node {@code index} itself (no redirection) and waits for the reply. */
    public Response send(int index, Request request) {
        return Blocking.await(clients.get(index).send(request));
    }

    public int slotOf(String key) {
        return send(0, Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(key)).toInteger();
    }

    /**
     * Waits until every replica has applied all its master has written: replication is asynchronous, so
     * data written just before a master dies may otherwise be missing on the replica that takes over.
     */
    public void awaitReplicasInSync() {
        for (int replica = masters; replica < nodes.size(); replica++) {
            long written = Blocking.await(replicationOffset(replica - masters));
            int node = replica;
            Blocking.await(Polling.until(vertx, "replica " + node + " at offset " + written, FORMATION_TIMEOUT,
                    () -> replicationOffset(node).map(applied -> applied >= written)));
        }
    }

    private Future<Long> replicationOffset(int index) {
        return clients.get(index).send(Request.cmd(Command.INFO).arg("replication")).map(info -> info.toString().lines()
                .filter(line -> line.startsWith("master_repl_offset:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow());
    }

    /** The index of the replica of master {@code master} as the cluster was formed. */
    public int replicaOf(int master) {
        return masters + master;
    }

    /** Whether node {@code index} is a master now (a replica becomes one when its master fails). */
    public boolean isMaster(int index) {
        return send(index, Request.cmd(Command.ROLE)).get(0).toString().equals("master");
    }

    /** The index of the running node that serves {@code slot}, as that node itself sees it. */
    public int ownerOf(int slot) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).isRunning() && servesSlot(i, slot)) {
                return i;
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /** Reads the node's own line of CLUSTER NODES: from the ninth field on, its slots and ranges. */
    private boolean servesSlot(int index, int slot) {
        for (String line : send(index, Request.cmd(Command.CLUSTER).arg("NODES")).toString().split("\n")) {
            String[] fields = line.trim().split(" ");
            if (!fields[2].contains("myself")) {
                continue;
            }
            for (int f = 8; f < fields.length; f++) {
                String[] bounds = fields[f].split("-");
                if (bounds[0].matches("\\d+") && slot >= Integer.parseInt(bounds[0])
                        && slot <= Integer.parseInt(bounds[bounds.length - 1])) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Moves {@code slot} with its keys to node {@code target} the way redis-cli does: IMPORTING on
     * the target, MIGRATING on the source, MIGRATE of every key, then SETSLOT NODE everywhere.
     * Clients meanwhile get ASK (keys already moved) and then MOVED redirections.
     */
    public void moveSlot(int slot, int target) {
        int source = ownerOf(slot);
        if (source == target) {
            return;
        }
        send(target, Request.cmd(Command.CLUSTER).arg("SETSLOT").arg(slot).arg("IMPORTING").arg(nodeId(source)));
        send(source, Request.cmd(Command.CLUSTER).arg("SETSLOT").arg(slot).arg("MIGRATING").arg(nodeId(target)));
        for (Response keys = keysInSlot(source, slot); keys.size() > 0; keys = keysInSlot(source, slot)) {
            Request migrate = Request.cmd(Command.MIGRATE).arg("127.0.0.1").arg(nodes.get(target).port())
                    .arg("").arg(0).arg(5000).arg("KEYS");
            keys.forEach(key -> migrate.arg(key.toString()));
            send(source, migrate);
        }
        String targetId = nodeId(target);
        send(target, Request.cmd(Command.CLUSTER).arg("SETSLOT").arg(slot).arg("NODE").arg(targetId));
        send(source, Request.cmd(Command.CLUSTER).arg("SETSLOT").arg(slot).arg("NODE").arg(targetId));
        for (int i = 0; i < nodes.size(); i++) {
            if (i != source && i != target) {
                send(i, Request.cmd(Command.CLUSTER).arg("SETSLOT").arg(slot).arg("NODE").arg(targetId));
            }
        }
    }

    private Response keysInSlot(int node, int slot) {
        return send(node, Request.cmd(Command.CLUSTER).arg("GETKEYSINSLOT").arg(slot).arg(MIGRATE_BATCH));
    }

    private String nodeId(int index) {
        return send(index, Request.cmd(Command.CLUSTER).arg("MYID")).toString();
    }

    @Override
    public void close() {
        clients.forEach(Redis::close);
        nodes.forEach(EmbeddedRedis::close);
    }

    /**
     * A port of 20000-20999 whose bus port (+10000) is free as well: below the ephemeral range, where
     * port-0 servers (gateways, standalone Redis) land, so that clusters and those never collide.
     */
    private static int portWithFreeBusPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 21000);
            if (isFree(port) && isFree(port + BUS_PORT_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (port, port + 10000) found");
    }

    private static boolean isFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1")).close();
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
