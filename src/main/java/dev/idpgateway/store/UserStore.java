package dev.idpgateway.store;

import io.vertx.core.Future;

/**
 * The identity storage as the operations need it. Every method resolves the given {@code username}
 * the same way: to the one user whose username (folded by {@link CaseFolding} when the pool ignores
 * case), allowed alias or sub it is; a name of two users is refused. Implementations never block
 * the calling event loop.
 */
public interface UserStore {
    /**
     * Makes {@code update} to the user that {@code username} names, atomically, then records an
     * audit event. Every update may be repeated: it succeeds again.
     *
     * @return the outcome; fails with {@link NoSuchPoolException}, {@link NoSuchUserException},
     * {@link AmbiguousUserException} (then nothing changed), or
     * any other exception when the storage could not do the work in time
     */
    Future<UserChange> updateUser(String poolId, String username, UserUpdate update, AuditContext audit);

    /**
     * Reads the user that {@code username} names; changes nothing.
     *
     * @return the user; fails as {@link #updateUser} does
     */
    Future<StoredUser> getUser(String poolId, String username);

    /** Succeeds when the storage answers and the scripts are loaded. */
    Future<Void> checkReady();

    Future<Void> close();
}
