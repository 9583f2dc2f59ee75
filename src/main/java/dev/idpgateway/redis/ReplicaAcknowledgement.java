package dev.idpgateway.redis;

import dev.idpgateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * The durability option: after a change, WAIT until the configured number of replicas have it, so
 * that a 200 survives a failover of the primary. When they do not confirm in time the change may
 * or may not survive: {@link RetryingUserStore} makes it again and waits again within the request's
 * retry budget (safe: every change is idempotent), and only then answers InternalErrorException.
 */
public final class ReplicaAcknowledgement {
    private final int replicas;
    private final long timeoutMillis;

    public ReplicaAcknowledgement(GatewayConfig.Durability durability) {
        this.replicas = durability.replicas();
        this.timeoutMillis = durability.timeout().toMillis();
    }

    public boolean required() {
        return replicas > 0;
    }

    /** WAIT on the connection that made the change: it counts the replicas that have that connection's writes. */
    public Future<Void> await(RedisCommands connection) {
        return connection.send(Request.cmd(Command.WAIT).arg(replicas).arg(timeoutMillis)).compose(acknowledged ->
                acknowledged.toInteger() >= replicas ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new NotReplicatedException(replicas, acknowledged.toInteger())));
    }
}
