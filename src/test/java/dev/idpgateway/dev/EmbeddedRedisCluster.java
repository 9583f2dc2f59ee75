package dev.idpgateway.dev;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of real redis-server processes on 127.0.0.1 for tests: masters only, the slots
 * split evenly. The jar's redis-server has no {@code redis-cli --cluster create}, so the cluster is
 * formed by hand: CLUSTER ADDSLOTS on each node, CLUSTER MEET, then waiting until every node says
 * {@code cluster_state:ok}. Blocking methods: call them from a test thread, never an event loop.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    public static final int SLOTS = 16384;
    /** Redis 6.2 has no cluster-port option: the bus listens on the client port + 10000. */
    private static final int BUS_PORT_OFFSET = 10000;
    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);
    private static final int MIGRATE_BATCH = 100;

    private final Vertx vertx;
    private final List<EmbeddedRedis> nodes = new ArrayList<>();
    private final List<Redis> clients = new ArrayList<>();

    private EmbeddedRedisCluster(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts {@code masters} nodes and forms the cluster; returns once every node reports it ok. */
    public static EmbeddedRedisCluster start(Vertx vertx, int masters) {
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(vertx);
        try {
            for (int i = 0; i < masters; i++) {
                cluster.startNode();
            }
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startNode() {
        EmbeddedRedis node = EmbeddedRedis.builder().port(portWithFreeBusPort())
                .serverArgs("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "2000")
                .start();
        nodes.add(node);
        clients.add(Redis.createClient(vertx, node.url()));
    }

    private void form() {
        int masters = nodes.size();
        for (int i = 0; i < masters; i++) {
            Request addSlots = Request.cmd(Command.CLUSTER).arg("ADDSLOTS");
            for (int slot = i * SLOTS / masters; slot < (i + 1) * SLOTS / masters; slot++) {
                addSlots.arg(slot);
            }
            send(i, addSlots);
        }
        for (int i = 1; i < masters; i++) {
            send(0, Request.cmd(Command.CLUSTER).arg("MEET").arg("127.0.0.1").arg(nodes.get(i).port()));
        }
        for (int i = 0; i < masters; i++) {
            int node = i;
            await(Polling.until(vertx, "cluster_state:ok on node " + node, FORMATION_TIMEOUT,
                    () -> clients.get(node).send(Request.cmd(Command.CLUSTER).arg("INFO")).map(info -> {
                        String text = info.toString();
                        return text.contains("cluster_state:ok") && text.contains("cluster_known_nodes:" + masters);
                    })));
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
        return await(clients.get(index).send(request));
    }

    public int slotOf(String key) {
        return send(0, Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(key)).toInteger();
    }

    /** The index of the node that serves {@code slot}, as that node itself sees it. */
    public int ownerOf(int slot) {
        for (int i = 0; i < nodes.size(); i++) {
            if (servesSlot(i, slot)) {
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

    private static <T> T await(Future<T> future) {
        try {
            return future.await(FORMATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("redis cluster: " + e.getMessage(), e);
        }
    }

    /** A port below the ephemeral range whose bus port (+10000) is free as well. */
    private static int portWithFreeBusPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 30000);
            if (isFree(port) && isFree(port + BUS_PORT_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (port, port + 10000) found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
