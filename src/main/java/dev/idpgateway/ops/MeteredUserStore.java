package dev.idpgateway.ops;

import dev.idpgateway.store.AuditContext;
import dev.idpgateway.store.StoredUser;
import dev.idpgateway.store.UserChange;
import dev.idpgateway.store.UserStore;
import dev.idpgateway.store.UserUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

import java.util.EnumMap;
import java.util.Map;

/** Counts the tokens each kind of user update revoked, as the store reports them; delegates the rest. */
public final class MeteredUserStore implements UserStore {
    private final UserStore store;
    private final Map<UserUpdate, Counter> tokensRevoked = new EnumMap<>(UserUpdate.class);

    public MeteredUserStore(UserStore store, MeterRegistry registry) {
        this.store = store;
        for (UserUpdate update : UserUpdate.values()) {
            tokensRevoked.put(update, Counter.builder("idp.tokens.revoked")
                    .description("Token keys deleted from Redis, by the user update that revoked them")
                    .tag("update", update.name().toLowerCase())
                    .register(registry));
        }
    }

    @Override
    public Future<UserChange> updateUser(String poolId, String username, UserUpdate update, AuditContext audit) {
        return store.updateUser(poolId, username, update, audit)
                .onSuccess(change -> tokensRevoked.get(update).increment(change.tokensRevoked()));
    }

    @Override
    public Future<StoredUser> getUser(String poolId, String username) {
        return store.getUser(poolId, username);
    }

    @Override
    public Future<Void> checkReady() {
        return store.checkReady();
    }

    @Override
    public Future<Void> close() {
        return store.close();
    }
}
