package dev.idpgateway.store;

import dev.idpgateway.redis.RedisCommands;
import dev.idpgateway.redis.RedisReplies;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.util.Map;

/**
 * The settings of user pools, read from their pool hashes and kept for a short while. Only pools
 * that exist are cached: a missing pool is asked for again next time.
 */
final class PoolSettingsCache {
    private final RedisCommands redis;
    private final KeySchema keys;
    private final Cache<String, PoolSettings> pools;

    PoolSettingsCache(RedisCommands redis, KeySchema keys, Duration ttl) {
        this.redis = redis;
        this.keys = keys;
        this.pools = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000)
                .executor(Runnable::run) // maintenance on the calling thread: no pool hops from an event loop
                .build();
    }

    /** @return the pool's settings, or a failed future with {@link NoSuchPoolException} */
    Future<PoolSettings> get(String poolId) {
        PoolSettings cached = pools.getIfPresent(poolId);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return redis.send(Request.cmd(Command.HGETALL).arg(keys.pool(poolId))).compose(response -> {
            Map<String, String> fields = RedisReplies.hashFields(response);
            if (fields.isEmpty()) {
                return Future.failedFuture(new NoSuchPoolException(poolId));
            }
            PoolSettings settings = PoolSettings.fromHash(fields);
            pools.put(poolId, settings);
            return Future.succeededFuture(settings);
        });
    }
}
