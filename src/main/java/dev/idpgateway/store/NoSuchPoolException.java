package dev.idpgateway.store;

/** The user pool does not exist: its pool key is absent. */
public final class NoSuchPoolException extends RuntimeException {
    private final String poolId;

    public NoSuchPoolException(String poolId) {
        super("no such user pool", null, false, false);
        this.poolId = poolId;
    }

    public String poolId() {
        return poolId;
    }
}
