package dev.idpgateway.redis;

/** The store did not try, or Redis failed in a way described in words: Redis is considered down for the moment. */
public final class StoreUnavailableException extends RuntimeException {
    /** What Redis failed with, when this describes it; not the cause, which logs would print with its credentials. */
    private final transient Throwable original;

    public StoreUnavailableException(String message) {
        this(message, null);
    }

    public StoreUnavailableException(String message, Throwable original) {
        super(message, null, false, false);
        this.original = original;
    }

    /** The failure behind a description of it, so that the retry can still tell whether it may pass. */
    static Throwable described(Throwable failure) {
        return failure instanceof StoreUnavailableException unavailable && unavailable.original != null
                ? unavailable.original : failure;
    }
}
