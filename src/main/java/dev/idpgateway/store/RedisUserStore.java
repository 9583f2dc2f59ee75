package dev.idpgateway.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link UserStore} on Redis, storage contract v1. On the common path (the name is the username and
 * the pool's settings are cached) a disable is one EVALSHA. Only when that finds no user are the
 * alias and sub indexes read, all at once, and the script run again for the user they point at.
 */
public final class RedisUserStore implements UserStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisUserStore.class);
    /** Resolution through an index is tried again this often when the index changes under it. */
    private static final int INDEX_ATTEMPTS = 2;

    private final RedisCommands redis;
    private final KeySchema keys;
    private final int auditMaxLength;
    private final LuaScript disableScript = LuaScript.fromResource("disable_user");
    /** Only pools that exist are cached: a missing pool is asked for again next time. */
    private final Cache<String, PoolSettings> pools;

    public RedisUserStore(Redis redis, KeySchema keys, Duration commandTimeout, Duration poolCacheTtl, int auditMaxLength) {
        this.redis = new RedisCommands(redis, commandTimeout);
        this.keys = keys;
        this.auditMaxLength = auditMaxLength;
        this.pools = Caffeine.newBuilder().expireAfterWrite(poolCacheTtl).maximumSize(10_000).build();
    }

    @Override
    public Future<DisabledUser> disableUser(String poolId, String username, AuditContext audit) {
        return poolSettings(poolId)
                .compose(pool -> disable(poolId, pool.userKey(username), IndexCheck.NONE)
                        .compose(user -> user != null ? Future.succeededFuture(user)
                                : disableThroughIndex(poolId, pool, username, INDEX_ATTEMPTS)))
                .compose(user -> appendAudit(poolId, user, audit).map(user));
    }

    /** SCRIPT LOAD answers both questions: Redis is reachable, and the script is (again) in its cache. */
    @Override
    public Future<Void> checkReady() {
        return disableScript.load(redis);
    }

    @Override
    public Future<Void> close() {
        return redis.close();
    }

    private Future<PoolSettings> poolSettings(String poolId) {
        PoolSettings cached = pools.getIfPresent(poolId);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return redis.send(Request.cmd(Command.HGETALL).arg(keys.pool(poolId))).compose(response -> {
            Map<String, String> fields = hashFields(response);
            if (fields.isEmpty()) {
                return Future.failedFuture(new NoSuchPoolException(poolId));
            }
            PoolSettings settings = PoolSettings.fromHash(fields);
            pools.put(poolId, settings);
            return Future.succeededFuture(settings);
        });
    }

    /** Reads the alias indexes the pool allows and the sub index together; the first that matches wins. */
    private Future<DisabledUser> disableThroughIndex(String poolId, PoolSettings pool, String username, int attempts) {
        List<IndexCheck> candidates = new ArrayList<>(4);
        for (String attribute : pool.lookupAttributes()) {
            String value = pool.aliasValue(attribute, username);
            candidates.add(new IndexCheck(keys.alias(poolId, attribute, value), attribute, value, pool.ignoresCase(attribute)));
        }
        candidates.add(new IndexCheck(keys.sub(poolId, username), "sub", username, false));

        List<Future<Response>> lookups = candidates.stream()
                .map(candidate -> redis.send(Request.cmd(Command.GET).arg(candidate.indexKey())))
                .toList();
        return Future.all(lookups).compose(done -> {
            for (int i = 0; i < candidates.size(); i++) {
                Response userKey = lookups.get(i).result();
                if (userKey != null) {
                    return disableIndexed(poolId, pool, username, userKey.toString(), candidates.get(i), attempts);
                }
            }
            return Future.failedFuture(new NoSuchUserException());
        });
    }

    private Future<DisabledUser> disableIndexed(String poolId, PoolSettings pool, String username, String userKey,
                                                IndexCheck check, int attempts) {
        return disable(poolId, userKey, check).recover(failure -> {
            if (!(failure instanceof IndexMismatch mismatch)) {
                return Future.failedFuture(failure);
            }
            // The script compares ignoring ASCII case only; an attribute that differs from the index
            // beyond that may still be the same value under full Unicode case folding.
            if (check.ignoreCase() && pool.aliasValue(check.field(), mismatch.current).equals(check.expected())) {
                return disable(poolId, userKey, new IndexCheck(check.indexKey(), check.field(), mismatch.current, false));
            }
            // The attribute moved while we looked: resolve again from the indexes.
            return attempts > 1 ? disableThroughIndex(poolId, pool, username, attempts - 1)
                    : Future.failedFuture(new NoSuchUserException());
        }).compose(user -> user != null ? Future.succeededFuture(user) : Future.failedFuture(new NoSuchUserException()));
    }

    /**
     * Runs the disable script for one user key.
     *
     * @return the outcome, {@code null} when there is no such user, or a failed future with
     * {@link IndexMismatch} when the check against the index failed
     */
    private Future<DisabledUser> disable(String poolId, String userKey, IndexCheck check) {
        List<String> scriptKeys = List.of(keys.user(poolId, userKey), keys.tokenIndex(poolId, userKey));
        List<String> args = List.of(keys.tokenPrefix(poolId, userKey), check.field(), check.expected(),
                check.ignoreCase() ? "1" : "0");
        return disableScript.run(redis, scriptKeys, args).compose(reply -> switch (reply.get(0).toInteger()) {
            case 1 -> Future.succeededFuture(new DisabledUser(userKey, reply.get(2).toString(),
                    reply.get(1).toLong(), Long.parseLong(reply.get(3).toString())));
            case 0 -> Future.succeededFuture(null);
            default -> Future.failedFuture(new IndexMismatch(reply.get(1).toString()));
        });
    }

    /**
     * The disable is done and durable in Redis whatever happens here, so a failed append is logged
     * loudly rather than turned into an error that would make the caller doubt the disable.
     */
    private Future<Void> appendAudit(String poolId, DisabledUser user, AuditContext audit) {
        Request xadd = Request.cmd(Command.XADD).arg(keys.events(poolId))
                .arg("MAXLEN").arg("~").arg(auditMaxLength).arg("*")
                .arg("operation").arg(audit.operation())
                .arg("pool").arg(poolId)
                .arg("user_key").arg(user.userKey())
                .arg("sub").arg(user.sub())
                .arg("tokens_revoked").arg(user.tokensRevoked())
                .arg("request_id").arg(audit.requestId())
                .arg("caller").arg(audit.caller())
                .arg("time").arg(user.revokedAt());
        return redis.send(xadd).<Void>mapEmpty().recover(failure -> {
            LOG.error("audit event not recorded: request_id={} operation={} pool={} error={}",
                    audit.requestId(), audit.operation(), poolId, failure.toString());
            return Future.succeededFuture();
        });
    }

    private static Map<String, String> hashFields(Response response) {
        Map<String, String> fields = new HashMap<>();
        if (response == null) {
            return fields;
        }
        if (response.isMap()) {
            for (String key : response.getKeys()) {
                fields.put(key, response.get(key).toString());
            }
        } else {
            for (int i = 0; i + 1 < response.size(); i += 2) {
                fields.put(response.get(i).toString(), response.get(i + 1).toString());
            }
        }
        return fields;
    }

    /**
     * What the script must re-check when the user was found through an index: that the user hash's
     * {@code field} still holds {@code expected}.
     */
    private record IndexCheck(String indexKey, String field, String expected, boolean ignoreCase) {
        static final IndexCheck NONE = new IndexCheck("", "", "", false);
    }

    /** The user no longer carries the attribute value its index pointed at. */
    private static final class IndexMismatch extends RuntimeException {
        private final String current;

        IndexMismatch(String current) {
            super("index mismatch", null, false, false);
            this.current = current;
        }
    }
}
