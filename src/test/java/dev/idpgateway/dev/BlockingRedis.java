package dev.idpgateway.dev;

import dev.idpgateway.testing.Blocking;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Blocking Redis commands for test assertions, from a test thread (never an event loop), each waited
 * for with {@link Blocking#await}. Test code only: the product never blocks on Redis.
 */
public final class BlockingRedis implements AutoCloseable {
    private final Redis client;

    public BlockingRedis(Vertx vertx, String url) {
        this(vertx, new RedisOptions().setConnectionString(url));
    }

    /** Through any topology the options name, e.g. a cluster client that routes each key to its node. */
    public BlockingRedis(Vertx vertx, RedisOptions options) {
        this.client = Redis.createClient(vertx, options);
    }

    public Response send(Command command, Object... args) {
        return Blocking.await(client.send(Request.cmd(command, args)));
    }

    public String get(String key) {
        Response value = send(Command.GET, key);
        return value == null ? null : value.toString();
    }

    /** HGETALL as a map; empty when the key does not exist. */
    public Map<String, String> hash(String key) {
        Response reply = send(Command.HGETALL, key);
        Map<String, String> fields = new TreeMap<>();
        for (String field : reply.getKeys()) {
            fields.put(field, reply.get(field).toString());
        }
        return fields;
    }

    public Set<String> members(String key) {
        Set<String> members = new TreeSet<>();
        send(Command.SMEMBERS, key).forEach(member -> members.add(member.toString()));
        return members;
    }

    /** Every key; KEYS is fine on the small data sets of tests. */
    public Set<String> keys() {
        return keys("*");
    }

    public Set<String> keys(String pattern) {
        Set<String> keys = new TreeSet<>();
        send(Command.KEYS, pattern).forEach(key -> keys.add(key.toString()));
        return keys;
    }

    public long ttl(String key) {
        return send(Command.TTL, key).toLong();
    }

    @Override
    public void close() {
        Blocking.await(client.close());
    }
}
