package dev.idpgateway.redis;

/** The store did not try: Redis is considered down for the moment. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message) {
        super(message, null, false, false);
    }
}
