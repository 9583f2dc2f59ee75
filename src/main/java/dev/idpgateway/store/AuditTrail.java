package dev.idpgateway.store;

import dev.idpgateway.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Appends one event per user change to the pool's audit stream, trimmed to about its maximum length.
 * Where one node holds every key (standalone, sentinel) the change's own script appends it
 * ({@code lua/user/resolved.lua}), atomically with the change; on Redis Cluster the stream lives in
 * another slot than the user, so the event is a command of its own after the script.
 */
final class AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    /** The script's audit arguments when it writes no event. */
    private static final List<String> NO_EVENT = List.of("", "", "", "", "");

    private final RedisCommands redis;
    private final KeySchema keys;
    private final int maxLength;
    private final boolean byScript;

    AuditTrail(RedisCommands redis, KeySchema keys, int maxLength, boolean byScript) {
        this.redis = redis;
        this.keys = keys;
        this.maxLength = maxLength;
        this.byScript = byScript;
    }

    /**
     * The script's audit arguments (ARGV[3..7] of {@code lua/user/resolved.lua}): the event's fields that the
     * script does not know, and the stream's maximum length; none for a read ({@code audit} null) or on Cluster.
     */
    List<String> scriptArguments(String poolId, AuditContext audit) {
        return audit == null || !byScript ? NO_EVENT
                : List.of(audit.operation(), poolId, audit.requestId(), audit.caller(), Integer.toString(maxLength));
    }

    /**
     * Appends the event unless the change's script did. The change is done and durable in Redis
     * whatever happens here, so a failed append is logged loudly rather than turned into an error
     * that would make the caller doubt the change.
     */
    Future<Void> append(String poolId, UserChange change, AuditContext audit) {
        if (byScript) {
            return Future.succeededFuture();
        }
        Request xadd = Request.cmd(Command.XADD).arg(keys.events(poolId))
                .arg("MAXLEN").arg("~").arg(maxLength).arg("*")
                .arg("operation").arg(audit.operation())
                .arg("pool").arg(poolId)
                .arg("user_key").arg(change.userKey())
                .arg("sub").arg(change.sub())
                .arg("tokens_revoked").arg(change.tokensRevoked())
                .arg("request_id").arg(audit.requestId())
                .arg("caller").arg(audit.caller())
                .arg("time").arg(change.changedAt());
        return redis.send(xadd).<Void>mapEmpty().recover(failure -> {
            LOG.error("audit event not recorded: request_id={} operation={} pool={} error={}",
                    audit.requestId(), audit.operation(), poolId, failure.toString());
            return Future.succeededFuture();
        });
    }
}
