package dev.idpgateway.dev;

import dev.idpgateway.store.KeySchema;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bulk seeding for load tests: one pool and N users with M tokens each, written per storage
 * contract v1 (the same commands as {@link IdentityWriter}). User i (1-based) is
 * {@code user-0000001}, email {@code user-0000001@example.com} (verified), a name, {@code custom:tenant}
 * {@code load-test}, a random sub.
 *
 * <p>Throughput comes from pipelining: a few connections, each with a fixed number of batches
 * in flight; a batch is the commands of a chunk of users, and the next chunk is built only when a
 * batch completes, so memory stays bounded however many users are asked for. Batches mix hash
 * tags, so this seeds standalone Redis (or Sentinel), not Redis Cluster.
 */
public final class Seeder {
    private static final int CONNECTIONS = 2;
    private static final int BATCHES_IN_FLIGHT_PER_CONNECTION = 4;
    private static final int USERS_PER_BATCH = 500;
    private static final Duration RUN_TIMEOUT = Duration.ofHours(1);

    private final Vertx vertx;
    private final ContractCommands commands;

    public Seeder(Vertx vertx) {
        this(vertx, new KeySchema(IdentityWriter.DEFAULT_PREFIX), IdentityWriter.DEFAULT_TOKEN_TTL);
    }

    public Seeder(Vertx vertx, KeySchema keys, Duration tokenTtl) {
        this.vertx = vertx;
        this.commands = new ContractCommands(keys, tokenTtl);
    }

    /** The pool the seed command creates: case-insensitive, email usable as an alias. */
    public static PoolRecord defaultPool(String poolId) {
        return PoolRecord.of(poolId).withCaseSensitive(false).withAliasAttributes("email");
    }

    public static String username(int index) {
        return String.format(Locale.ROOT, "user-%07d", index);
    }

    /**
     * Blocking seed with a Vert.x instance of its own, for the CLI. Not on an event loop.
     * Prefix {@code idp}, tokens living one hour, the {@link #defaultPool(String) default pool}.
     */
    public static SeedResult run(String redisUrl, String poolId, int users, int tokensPerUser) {
        return run(new RedisOptions().setConnectionString(redisUrl), poolId, users, tokensPerUser);
    }

    /** {@link #run(String, String, int, int)} with the gateway's connection options (user, password, TLS). */
    public static SeedResult run(RedisOptions redis, String poolId, int users, int tokensPerUser) {
        Vertx vertx = Vertx.vertx();
        try {
            return new Seeder(vertx).seed(redis, defaultPool(poolId), users, tokensPerUser)
                    .await(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Seeding did not finish within " + RUN_TIMEOUT, e);
        } finally {
            vertx.close().await();
        }
    }

    public Future<SeedResult> seed(String redisUrl, String poolId, int users, int tokensPerUser) {
        return seed(redisUrl, defaultPool(poolId), users, tokensPerUser);
    }

    public Future<SeedResult> seed(String redisUrl, PoolRecord pool, int users, int tokensPerUser) {
        return seed(new RedisOptions().setConnectionString(redisUrl), pool, users, tokensPerUser);
    }

    /** @param redis where and how to connect; copied, not changed */
    public Future<SeedResult> seed(RedisOptions redis, PoolRecord pool, int users, int tokensPerUser) {
        if (users < 0 || tokensPerUser < 0) {
            return Future.failedFuture(new IllegalArgumentException("users and tokens per user must not be negative"));
        }
        // Each command of a batch holds a waiting slot on its connection until its reply arrives.
        int commandsPerUser = 2 + tokensPerUser + pool.indexedAttributes().size() + 1;
        Redis client = Redis.createClient(vertx, new RedisOptions(redis)
                .setMaxPoolSize(CONNECTIONS)
                .setMaxWaitingHandlers(BATCHES_IN_FLIGHT_PER_CONNECTION * USERS_PER_BATCH * commandsPerUser));
        long started = System.nanoTime();
        Job job = new Job(pool, users, tokensPerUser);

        List<Future<RedisConnection>> connecting = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            connecting.add(client.connect());
        }
        return Future.all(connecting)
                .compose(connected -> connecting.get(0).result().send(commands.pool(pool)))
                .compose(poolWritten -> {
                    List<Future<Void>> lanes = new ArrayList<>();
                    for (Future<RedisConnection> connection : connecting) {
                        for (int i = 0; i < BATCHES_IN_FLIGHT_PER_CONNECTION; i++) {
                            Promise<Void> lane = Promise.promise();
                            pump(connection.result(), job, lane);
                            lanes.add(lane.future());
                        }
                    }
                    return Future.all(lanes);
                })
                .map(done -> new SeedResult(pool.poolId(), users, (long) users * tokensPerUser,
                        Duration.ofNanos(System.nanoTime() - started)))
                .eventually(() -> client.close());
    }

    /** Sends the next chunk on this connection and, once it is written, the one after. */
    private void pump(RedisConnection connection, Job job, Promise<Void> lane) {
        int first = job.nextUser.getAndAdd(USERS_PER_BATCH);
        if (first > job.users || job.failed) {
            lane.tryComplete();
            return;
        }
        int last = Math.min(job.users, first + USERS_PER_BATCH - 1);
        connection.batch(job.chunk(first, last)).onComplete(
                written -> pump(connection, job, lane),
                failure -> {
                    job.failed = true;
                    lane.tryFail(failure);
                });
    }

    /** The shared progress of one seeding run. */
    private final class Job {
        final PoolRecord pool;
        final int users;
        final int tokensPerUser;
        final AtomicInteger nextUser = new AtomicInteger(1);
        volatile boolean failed;

        Job(PoolRecord pool, int users, int tokensPerUser) {
            this.pool = pool;
            this.users = users;
            this.tokensPerUser = tokensPerUser;
        }

        List<Request> chunk(int first, int last) {
            long now = System.currentTimeMillis();
            List<Request> chunk = new ArrayList<>();
            for (int index = first; index <= last; index++) {
                String username = username(index);
                UserRecord user = UserRecord.builder(username)
                        .email(username + "@example.com")
                        .attribute("name", "Load Test " + index)
                        .attribute("custom:tenant", "load-test")
                        .createdAt(now)
                        .tokens(tokensPerUser)
                        .build();
                chunk.addAll(commands.userOwned(pool, user, now));
                chunk.addAll(commands.indexes(pool, user));
            }
            return chunk;
        }
    }
}
