package dev.idpgateway.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the user a {@code Username} names and runs a user script on that user: the name is tried
 * as the username first (one script run on the common path), then, only when that finds nobody, as
 * every alias the pool allows and as a sub, all indexes read at once. The script (one that starts
 * with {@code lua/user/resolved.lua}) re-checks atomically that a user found through an index still
 * carries the indexed value, so a concurrent change of that attribute never makes an operation act
 * on the wrong account; when it no longer does, resolution starts over from the indexes once.
 */
final class UserResolver {
    /** Resolution through an index is tried again this often when the index changes under it. */
    private static final int INDEX_ATTEMPTS = 2;

    private final RedisCommands redis;
    private final KeySchema keys;
    private final PoolSettingsCache pools;

    UserResolver(RedisCommands redis, KeySchema keys, PoolSettingsCache pools) {
        this.redis = redis;
        this.keys = keys;
        this.pools = pools;
    }

    /** The user a name resolved to, and the reply {@code {1, ...}} of the script that ran on it. */
    record Resolved(String userKey, Response reply) {
    }

    /**
     * @return the resolved user and the script's reply; a failed future with
     * {@link NoSuchPoolException} or {@link NoSuchUserException} when there is no such pool or user
     */
    Future<Resolved> run(String poolId, String username, LuaScript script) {
        return run(redis, poolId, username, script);
    }

    /** The same, with the user's reads and the script sent through {@code commands}. */
    Future<Resolved> run(RedisCommands commands, String poolId, String username, LuaScript script) {
        return pools.get(poolId).compose(pool -> new Resolution(commands, poolId, pool, username, script).run());
    }

    /** One resolution of one name: what it needs to try the username, then the indexes. */
    private final class Resolution {
        private final RedisCommands commands;
        private final String poolId;
        private final PoolSettings pool;
        private final String username;
        private final LuaScript script;

        Resolution(RedisCommands commands, String poolId, PoolSettings pool, String username, LuaScript script) {
            this.commands = commands;
            this.poolId = poolId;
            this.pool = pool;
            this.username = username;
            this.script = script;
        }

        Future<Resolved> run() {
            return runOn(pool.userKey(username), IndexCheck.NONE)
                    .compose(user -> user != null ? Future.succeededFuture(user) : throughIndex(INDEX_ATTEMPTS));
        }

        /** Reads the alias indexes the pool allows and the sub index together; the first that matches wins. */
        private Future<Resolved> throughIndex(int attempts) {
            List<IndexCheck> candidates = new ArrayList<>(4);
            for (String attribute : pool.lookupAttributes()) {
                String value = pool.aliasValue(attribute, username);
                candidates.add(new IndexCheck(keys.alias(poolId, attribute, value), attribute, value,
                        pool.ignoresCase(attribute)));
            }
            candidates.add(new IndexCheck(keys.sub(poolId, username), "sub", username, false));

            List<Future<Response>> lookups = candidates.stream()
                    .map(candidate -> commands.send(Request.cmd(Command.GET).arg(candidate.indexKey())))
                    .toList();
            return Future.all(lookups).compose(done -> {
                for (int i = 0; i < candidates.size(); i++) {
                    Response userKey = lookups.get(i).result();
                    if (userKey != null) {
                        return runIndexed(userKey.toString(), candidates.get(i), attempts);
                    }
                }
                return Future.failedFuture(new NoSuchUserException());
            });
        }

        private Future<Resolved> runIndexed(String userKey, IndexCheck check, int attempts) {
            return runOn(userKey, check).recover(failure -> {
                if (!(failure instanceof IndexMismatch mismatch)) {
                    return Future.failedFuture(failure);
                }
                // The script compares ignoring ASCII case only; an attribute that differs from the index
                // beyond that may still be the same value under full Unicode case folding.
                if (check.ignoreCase() && pool.aliasValue(check.field(), mismatch.current).equals(check.expected())) {
                    return runOn(userKey, new IndexCheck(check.indexKey(), check.field(), mismatch.current, false));
                }
                // The attribute moved while we looked: resolve again from the indexes.
                return attempts > 1 ? throughIndex(attempts - 1) : Future.failedFuture(new NoSuchUserException());
            }).compose(user -> user != null ? Future.succeededFuture(user) : Future.failedFuture(new NoSuchUserException()));
        }

        /**
         * Runs the script for one user key.
         *
         * @return the outcome, {@code null} when there is no such user, or a failed future with
         * {@link IndexMismatch} when the check against the index failed
         */
        private Future<Resolved> runOn(String userKey, IndexCheck check) {
            List<String> scriptKeys = List.of(keys.user(poolId, userKey), keys.tokenIndex(poolId, userKey));
            List<String> args = List.of(keys.tokenPrefix(poolId, userKey), check.field(), check.expected(),
                    check.ignoreCase() ? "1" : "0");
            return script.run(commands, scriptKeys, args).compose(reply -> switch (reply.get(0).toInteger()) {
                case 1 -> Future.succeededFuture(new Resolved(userKey, reply));
                case 0 -> Future.succeededFuture(null);
                default -> Future.failedFuture(new IndexMismatch(reply.get(1).toString()));
            });
        }
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
