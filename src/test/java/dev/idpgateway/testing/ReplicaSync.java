package dev.idpgateway.testing;

/**
 * redis-server arguments for a server whose replicas take their first sync at once. Redis 7 transfers a full
 * sync without a file and waits 5 s for more replicas to share it first: that wait was most of the time the
 * replicated fixtures took to start. Given to every server that is, or may become after a failover, a primary.
 */
public final class ReplicaSync {
    private ReplicaSync() {
    }

    public static String[] immediate() {
        return new String[] {"--repl-diskless-sync-delay", "0"};
    }
}
