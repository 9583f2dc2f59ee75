package dev.idpgateway.redis;

/** A change was made on the primary, but fewer replicas than required confirmed it in time. */
public final class NotReplicatedException extends RuntimeException {
    public NotReplicatedException(int required, int acknowledged) {
        super("change confirmed by " + acknowledged + " of " + required + " required replicas", null, false, false);
    }
}
