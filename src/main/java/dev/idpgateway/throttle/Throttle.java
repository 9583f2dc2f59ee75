package dev.idpgateway.throttle;

/** Decides, without waiting, whether one more request for an operation on a user pool may go on. */
public interface Throttle {
    /** @return true when the request is within its limit; never blocks */
    boolean tryAcquire(String operation, String poolId);

    /** Drops the limiter of a pool that turned out not to exist, so that made-up pool ids leave nothing behind. */
    void forget(String operation, String poolId);
}
