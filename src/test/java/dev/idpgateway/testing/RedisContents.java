package dev.idpgateway.testing;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a standalone Redis server holds, read asynchronously in two pipelined batches, for a test to assert
 * on after the code under test has run: no test thread waits on a Redis command. Test data sets only (KEYS).
 * Strings, hashes and sets; a key of another type reads as its type's name.
 */
public final class RedisContents {
    private static final int BATCH = 1000;
    private final Map<String, Object> values;
    private final Map<String, Long> ttls;

    private RedisContents(Map<String, Object> values, Map<String, Long> ttls) {
        this.values = values;
        this.ttls = ttls;
    }

    public static Future<RedisContents> read(Redis redis) {
        return redis.send(Request.cmd(Command.KEYS).arg("*")).compose(reply -> {
            List<String> keys = new ArrayList<>();
            reply.forEach(key -> keys.add(key.toString()));
            List<Request> typesAndTtls = new ArrayList<>();
            keys.forEach(key -> {
                typesAndTtls.add(Request.cmd(Command.TYPE).arg(key));
                typesAndTtls.add(Request.cmd(Command.TTL).arg(key));
            });
            return batch(redis, typesAndTtls).compose(described -> {
                List<Request> reads = new ArrayList<>();
                Map<String, Long> ttls = new TreeMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    reads.add(readRequest(keys.get(i), described.get(2 * i).toString()));
                    ttls.put(keys.get(i), described.get(2 * i + 1).toLong());
                }
                return batch(redis, reads).map(read -> {
                    Map<String, Object> values = new TreeMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        values.put(keys.get(i), value(described.get(2 * i).toString(), read.get(i)));
                    }
                    return new RedisContents(values, ttls);
                });
            });
        });
    }

    /** In chunks, one after another: a connection holds at most 2048 unanswered commands by default. */
    private static Future<List<Response>> batch(Redis redis, List<Request> requests) {
        Future<List<Response>> answered = Future.succeededFuture(new ArrayList<>());
        for (int from = 0; from < requests.size(); from += BATCH) {
            List<Request> chunk = requests.subList(from, Math.min(requests.size(), from + BATCH));
            answered = answered.compose(replies -> redis.batch(chunk).map(more -> {
                replies.addAll(more);
                return replies;
            }));
        }
        return answered;
    }

    private static Request readRequest(String key, String type) {
        return switch (type) {
            case "string" -> Request.cmd(Command.GET).arg(key);
            case "hash" -> Request.cmd(Command.HGETALL).arg(key);
            case "set" -> Request.cmd(Command.SMEMBERS).arg(key);
            default -> Request.cmd(Command.TYPE).arg(key);
        };
    }

    private static Object value(String type, Response reply) {
        return switch (type) {
            case "hash" -> {
                Map<String, String> fields = new TreeMap<>();
                reply.getKeys().forEach(field -> fields.put(field, reply.get(field).toString()));
                yield fields;
            }
            case "set" -> {
                Set<String> members = new TreeSet<>();
                reply.forEach(member -> members.add(member.toString()));
                yield members;
            }
            default -> reply.toString();
        };
    }

    public Set<String> keys() {
        return new TreeSet<>(values.keySet());
    }

    public int size() {
        return values.size();
    }

    /** A string's value; null when the key does not exist. */
    public String get(String key) {
        return (String) values.get(key);
    }

    /** A hash's fields; empty when the key does not exist. */
    @SuppressWarnings("unchecked")
    public Map<String, String> hash(String key) {
        return (Map<String, String>) values.getOrDefault(key, Map.of());
    }

    /** A set's members; empty when the key does not exist. */
    @SuppressWarnings("unchecked")
    public Set<String> members(String key) {
        return (Set<String>) values.getOrDefault(key, Set.of());
    }

    /** Seconds to live as TTL answered when read: -1 without expiry, -2 when the key does not exist. */
    public long ttl(String key) {
        return ttls.getOrDefault(key, -2L);
    }
}
