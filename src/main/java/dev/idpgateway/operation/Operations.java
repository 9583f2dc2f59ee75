package dev.idpgateway.operation;

import dev.idpgateway.store.UserStore;

import java.util.List;

/**
 * Every operation the gateway serves. A new operation is its class, listed here, plus its script
 * (if it needs one), its rate limit in {@code conf/gateway.yaml} and its IAM action
 * ({@code cognito-idp:<name>}) in the callers' policies.
 */
public final class Operations {
    private Operations() {
    }

    public static List<Operation<?>> all(UserStore store) {
        return List.of(
                new AdminDisableUser(store),
                new AdminEnableUser(store),
                new AdminGetUser(store),
                new AdminUserGlobalSignOut(store));
    }
}
