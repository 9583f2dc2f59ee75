package dev.idpgateway.operation;

import dev.idpgateway.store.UserStore;
import dev.idpgateway.store.UserUpdate;

/**
 * AdminDisableUser: deactivates a user and revokes all of the user's tokens, atomically.
 * Disabling a disabled user succeeds again.
 */
public final class AdminDisableUser extends AdminUserUpdate {
    public AdminDisableUser(UserStore store) {
        super("AdminDisableUser", store, UserUpdate.DISABLE);
    }
}
