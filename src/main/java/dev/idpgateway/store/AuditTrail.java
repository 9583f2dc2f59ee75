package dev.idpgateway.store;

import dev.idpgateway.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends one event per user change to the pool's audit stream, trimmed to about its maximum length. */
final class AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final RedisCommands redis;
    private final KeySchema keys;
    private final int maxLength;

    AuditTrail(RedisCommands redis, KeySchema keys, int maxLength) {
        this.redis = redis;
        this.keys = keys;
        this.maxLength = maxLength;
    }

    /**
     * The change is done and durable in Redis whatever happens here, so a failed append is logged
     * loudly rather than turned into an error that would make the caller doubt the change.
     */
    Future<Void> append(String poolId, UserChange change, AuditContext audit) {
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
