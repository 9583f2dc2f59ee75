package dev.idpgateway.store;

/** Told of each retry and of each request that waited for Redis, so that they can be counted. */
public interface RetryListener {
    /** An operation is tried again; {@code reason} names the fault (connection, timeout, loading, readonly, ...). */
    void retried(String reason);

    /** A request waited {@code nanos} for Redis through a fault, and then was served or not. */
    void waited(long nanos, boolean served);
}
