package dev.idpgateway.store;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.redis.RedisClients;
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
 * name resolves to ({@link UserResolver}). On the common path (the name is the username and the
 * pool's settings are cached) that is one EVALSHA where one node holds every key (standalone,
 * sentinel), the audit event of an update written by the same script; on Redis Cluster it is a
 * pipelined read of the name's candidates, the EVALSHA, then the audit event's XADD.
 */
public final class RedisUserStore implements UserStore {
    private final RedisCommands redis;
    private final UserResolver resolver;
    private final AuditTrail audit;
    private final ReplicaAcknowledgement acknowledgement;
    private final Map<UserUpdate, UserScripts> updateScripts = new EnumMap<>(UserUpdate.class);
    private final UserScripts readScripts = UserScripts.of("user/read");

    /** The ACL user connections authenticate as (null: Redis's default user), named when that fails. */
    private final String redisUser;

    /**
     * @param oneNode true where one node holds every key (standalone, sentinel: {@link RedisClients#holdsEveryKeyOnOneNode}),
     *                so that one script may touch the indexes and the audit stream beside the user's keys
     */
    public RedisUserStore(Redis redis, KeySchema keys, Duration commandTimeout, Duration poolCacheTtl, int auditMaxLength,
                          GatewayConfig.Durability durability, String redisUser, boolean oneNode) {
        this.redis = new RedisCommands(redis, commandTimeout);
        this.redisUser = redisUser;
        this.acknowledgement = new ReplicaAcknowledgement(durability);
        this.audit = new AuditTrail(this.redis, keys, auditMaxLength, oneNode);
        this.resolver = new UserResolver(this.redis, keys, new PoolSettingsCache(this.redis, keys, poolCacheTtl), audit, oneNode);
        for (UserUpdate update : UserUpdate.values()) {
            updateScripts.put(update, UserScripts.of(update.script()));
        }
    }

    @Override
    public Future<UserChange> updateUser(String poolId, String username, UserUpdate update, AuditContext context) {
        return change(poolId, username, updateScripts.get(update), context)
                .map(resolved -> UserChange.fromReply(resolved.userKey(), resolved.reply()))
                .compose(change -> audit.append(poolId, change, context).map(change));
    }

    /** Runs the change; with the durability option on one connection, followed by WAIT on it. */
    private Future<UserResolver.Resolved> change(String poolId, String username, UserScripts scripts, AuditContext context) {
        if (!acknowledgement.required()) {
            return resolver.run(poolId, username, scripts, context);
        }
        return redis.onOneConnection(connection -> resolver.run(connection, poolId, username, scripts, context)
                .compose(resolved -> acknowledgement.await(connection).map(resolved)));
    }

    @Override
    public Future<StoredUser> getUser(String poolId, String username) {
        return resolver.run(poolId, username, readScripts, null)
                .map(resolved -> StoredUser.fromHash(RedisReplies.hashFields(resolved.reply().get(1))));
    }

    /**
     * SCRIPT LOAD answers both questions: Redis is reachable, and the scripts are (again) in its cache. A failure
     * says why in words ({@link RedisFailure}), for the readiness endpoint and the log.
     */
    @Override
    public Future<Void> checkReady() {
        List<Future<Void>> loads = new ArrayList<>(updateScripts.size() + 1);
        loads.add(readScripts.load(redis));
        updateScripts.values().forEach(script -> loads.add(script.load(redis)));
        return Future.all(loads).<Void>mapEmpty().recover(failure ->
                Future.failedFuture(new StoreUnavailableException(RedisFailure.describe(failure, redisUser), failure)));
    }

    @Override
    public Future<Void> close() {
        return redis.close();
    }
}
