package dev.idpgateway.operation;

import dev.idpgateway.store.UserStore;
import dev.idpgateway.store.UserUpdate;

/**
 * AdminEnableUser: lets a disabled user sign in again. Tokens revoked while the user was disabled
 * stay revoked. Enabling an enabled user succeeds again.
 */
public final class AdminEnableUser extends AdminUserUpdate {
    public AdminEnableUser(UserStore store) {
        super("AdminEnableUser", store, UserUpdate.ENABLE);
    }
}
