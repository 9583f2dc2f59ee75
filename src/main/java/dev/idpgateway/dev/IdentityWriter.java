package dev.idpgateway.dev;

import dev.idpgateway.store.KeySchema;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Writes pools, users and tokens exactly as the writer services of storage contract v1 do, for
 * fixtures and demo data. Works on standalone Redis and on Redis Cluster: keys of different hash
 * tags never share a batch, a MULTI or a script.
 *
 * <pre>{@code
 * IdentityWriter writer = new IdentityWriter(redis);
 * PoolRecord pool = PoolRecord.of("us-east-1_Test1").withCaseSensitive(false).withAliasAttributes("email");
 * writer.write(pool, UserRecord.builder("alice").email("alice@example.com").tokens(3).build())
 * }</pre>
 */
public final class IdentityWriter {
    public static final String DEFAULT_PREFIX = "idp";
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);

    private final Function<Request, Future<Response>> send;
    private final Function<List<Request>, Future<List<Response>>> batch;
    private final ContractCommands commands;

    /** Through a client (pooled, or cluster-aware), prefix {@code idp}, tokens living one hour. */
    public IdentityWriter(Redis redis) {
        this(redis, new KeySchema(DEFAULT_PREFIX), DEFAULT_TOKEN_TTL);
    }

    public IdentityWriter(Redis redis, KeySchema keys, Duration tokenTtl) {
        this(redis::send, redis::batch, new ContractCommands(keys, tokenTtl));
    }

    /** Through one connection (commands pipelined on it), prefix {@code idp}, tokens living one hour. */
    public IdentityWriter(RedisConnection connection) {
        this(connection, new KeySchema(DEFAULT_PREFIX), DEFAULT_TOKEN_TTL);
    }

    public IdentityWriter(RedisConnection connection, KeySchema keys, Duration tokenTtl) {
        this(connection::send, connection::batch, new ContractCommands(keys, tokenTtl));
    }

    private IdentityWriter(Function<Request, Future<Response>> send,
                           Function<List<Request>, Future<List<Response>>> batch,
                           ContractCommands commands) {
        this.send = send;
        this.batch = batch;
        this.commands = commands;
    }

    public KeySchema keys() {
        return commands.keys();
    }

    /** Writes the pool hash (creating the pool). */
    public Future<Void> writePool(PoolRecord pool) {
        return send.apply(commands.pool(pool)).mapEmpty();
    }

    /**
     * Writes the user hash, the token index and token keys, then the alias and sub indexes: an
     * index never points at a user that is not there yet.
     */
    public Future<Void> writeUser(PoolRecord pool, UserRecord user) {
        long issuedAt = System.currentTimeMillis();
        return batch.apply(commands.userOwned(pool, user, issuedAt))
                .compose(written -> Future.all(commands.indexes(pool, user).stream().map(send).toList()))
                .mapEmpty();
    }

    /**
     * Writes the pool, then the users one after another: a pooled client queues only a few
     * waiting requests (RedisOptions maxPoolWaiting), so fixtures of any size must not fan out.
     */
    public Future<Void> write(PoolRecord pool, List<UserRecord> users) {
        Future<Void> written = writePool(pool);
        for (UserRecord user : users) {
            written = written.compose(previous -> writeUser(pool, user));
        }
        return written;
    }

    public Future<Void> write(PoolRecord pool, UserRecord... users) {
        return write(pool, List.of(users));
    }

    /**
     * Issues one more token to an existing user: index entry and token key are written
     * atomically. The token's value is the epoch ms it was issued at, on the Redis clock.
     */
    public Future<Void> addToken(PoolRecord pool, String username, String tokenId) {
        return send.apply(commands.addToken(pool, username, tokenId)).mapEmpty();
    }
}
