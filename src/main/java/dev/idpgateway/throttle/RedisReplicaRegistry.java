package dev.idpgateway.throttle;

import dev.idpgateway.redis.LuaScript;
import dev.idpgateway.redis.RedisCommands;
import dev.idpgateway.store.KeySchema;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The live replicas as the sorted set {@link KeySchema#replicas()}: one member per replica, scored
 * by when it expires on Redis's clock. One script renews this replica, drops the expired ones and
 * counts the rest, so a crashed replica stops counting {@code expiry} after its last heartbeat.
 */
public final class RedisReplicaRegistry implements ReplicaRegistry {
    private static final LuaScript HEARTBEAT = LuaScript.fromResource("replicas/heartbeat");

    private final RedisCommands redis;
    private final String key;
    private final String replicaId;
    private final String expiryMillis;

    /** @param redis a client the caller closes */
    public RedisReplicaRegistry(Redis redis, KeySchema keys, Duration commandTimeout, Duration expiry) {
        this.redis = new RedisCommands(redis, commandTimeout);
        this.key = keys.replicas();
        this.replicaId = newReplicaId();
        this.expiryMillis = Long.toString(expiry.toMillis());
    }

    /** The pod name (Kubernetes sets HOSTNAME) for people reading the set, and a random part so that restarts never collide. */
    private static String newReplicaId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "gateway");
        return host + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public Future<Integer> heartbeat() {
        return HEARTBEAT.run(redis, List.of(key), List.of(replicaId, expiryMillis)).map(count -> count.toInteger());
    }

    @Override
    public Future<Void> leave() {
        return redis.send(Request.cmd(Command.ZREM).arg(key).arg(replicaId)).mapEmpty();
    }
}
