package dev.idpgateway.store;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.redis.LuaScript;
import dev.idpgateway.redis.RedisCommands;
import dev.idpgateway.redis.RedisFailure;
import dev.idpgateway.redis.RedisReplies;
import dev.idpgateway.redis.ReplicaAcknowledgement;
import dev.idpgateway.redis.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@link UserStore} on Redis, storage contract v1. Every operation is one script on the user its
 * name resolves to ({@link UserResolver}); on the common path (the name is the username and the
 * pool's settings are cached) that is one EVALSHA. Updates then append an audit event.
 */
public final class RedisUserStore implements UserStore {
    /** The first part of every script that acts on a resolved user: the checks and shared functions. */
    private static final String USER_PRELUDE = "user/resolved";

    private final RedisCommands redis;
    private final UserResolver resolver;
    private final AuditTrail audit;
    private final ReplicaAcknowledgement acknowledgement;
    private final Map<UserUpdate, LuaScript> updateScripts = new EnumMap<>(UserUpdate.class);
    private final LuaScript readScript = LuaScript.withPrelude(USER_PRELUDE, "user/read");

    /** The ACL user connections authenticate as (null: Redis's default user), named when that fails. */
    private final String redisUser;

    public RedisUserStore(Redis redis, KeySchema keys, Duration commandTimeout, Duration poolCacheTtl, int auditMaxLength,
                          GatewayConfig.Durability durability, String redisUser) {
        this.redis = new RedisCommands(redis, commandTimeout);
        this.redisUser = redisUser;
        this.acknowledgement = new ReplicaAcknowledgement(durability);
        this.resolver = new UserResolver(this.redis, keys, new PoolSettingsCache(this.redis, keys, poolCacheTtl));
        this.audit = new AuditTrail(this.redis, keys, auditMaxLength);
        for (UserUpdate update : UserUpdate.values()) {
            updateScripts.put(update, LuaScript.withPrelude(USER_PRELUDE, update.script()));
        }
    }

    @Override
    public Future<UserChange> updateUser(String poolId, String username, UserUpdate update, AuditContext context) {
        return change(poolId, username, updateScripts.get(update))
                .map(resolved -> UserChange.fromReply(resolved.userKey(), resolved.reply()))
                .compose(change -> audit.append(poolId, change, context).map(change));
    }

    /** Runs the change; with the durability option on one connection, followed by WAIT on it. */
    private Future<UserResolver.Resolved> change(String poolId, String username, LuaScript script) {
        if (!acknowledgement.required()) {
            return resolver.run(poolId, username, script);
        }
        return redis.onOneConnection(connection -> resolver.run(connection, poolId, username, script)
                .compose(resolved -> acknowledgement.await(connection).map(resolved)));
    }

    @Override
    public Future<StoredUser> getUser(String poolId, String username) {
        return resolver.run(poolId, username, readScript)
                .map(resolved -> StoredUser.fromHash(RedisReplies.hashFields(resolved.reply().get(1))));
    }

    /**
     * SCRIPT LOAD answers both questions: Redis is reachable, and the scripts are (again) in its cache. A failure
     * says why in words ({@link RedisFailure}), for the readiness endpoint and the log.
     */
    @Override
    public Future<Void> checkReady() {
        List<Future<Void>> loads = new ArrayList<>(updateScripts.size() + 1);
        loads.add(readScript.load(redis));
        updateScripts.values().forEach(script -> loads.add(script.load(redis)));
        return Future.all(loads).<Void>mapEmpty().recover(failure ->
                Future.failedFuture(new StoreUnavailableException(RedisFailure.describe(failure, redisUser), failure)));
    }

    @Override
    public Future<Void> close() {
        return redis.close();
    }
}
