package dev.idpgateway.operation;

import dev.idpgateway.store.UserStore;
import dev.idpgateway.store.UserUpdate;

/**
 * AdminUserGlobalSignOut: revokes every token of a user, atomically, and leaves the user enabled
 * or disabled as it was.
 */
public final class AdminUserGlobalSignOut extends AdminUserUpdate {
    public AdminUserGlobalSignOut(UserStore store) {
        super("AdminUserGlobalSignOut", store, UserUpdate.GLOBAL_SIGN_OUT);
    }
}
