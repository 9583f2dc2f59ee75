package dev.idpgateway.throttle;

import io.vertx.core.Future;

/** Where the gateway replicas announce themselves, so that each one knows how many share a cluster-wide limit. */
public interface ReplicaRegistry {
    /**
     * Renews this replica's entry, which lapses unless renewed within the registry's expiry.
     *
     * @return how many replicas are live now, this one included
     */
    Future<Integer> heartbeat();

    /** Removes this replica's entry at once, so that the others take over its share without waiting for it to lapse. */
    Future<Void> leave();
}
