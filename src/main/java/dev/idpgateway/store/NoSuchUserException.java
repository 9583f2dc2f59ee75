package dev.idpgateway.store;

/** No user matches the given name as username, allowed alias or sub. */
public final class NoSuchUserException extends RuntimeException {
    public NoSuchUserException() {
        super("no such user", null, false, false);
    }
}
