package dev.idpgateway.store;

import io.vertx.core.Future;

/** The identity storage as the operations need it. Implementations never block the calling event loop. */
public interface UserStore {
    /**
     * Disables the user that {@code username} names (username, then an alias the pool allows, then
     * sub) and revokes all of that user's tokens, atomically, then records an audit event.
     * Disabling a disabled user succeeds again.
     *
     * @return the outcome; fails with {@link NoSuchPoolException}, {@link NoSuchUserException}, or
     * any other exception when the storage could not do the work in time
     */
    Future<DisabledUser> disableUser(String poolId, String username, AuditContext audit);

    /** Succeeds when the storage answers and the scripts are loaded. */
    Future<Void> checkReady();

    Future<Void> close();
}
