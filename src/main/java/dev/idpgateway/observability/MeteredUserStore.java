package dev.idpgateway.observability;

import dev.idpgateway.store.AmbiguousUserException;
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

/**
 * Counts the tokens each kind of user update revoked, as the store reports them, and the requests
 * refused because their name matched more than one user; delegates the rest.
 */
public final class MeteredUserStore implements UserStore {
    private static final String GET = "get";

    private final UserStore store;
    private final MeterRegistry registry;
    private final Map<UserUpdate, Counter> tokensRevoked = new EnumMap<>(UserUpdate.class);

    public MeteredUserStore(UserStore store, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
        for (UserUpdate update : UserUpdate.values()) {
            tokensRevoked.put(update, Counter.builder("idp.tokens.revoked")
                    .description("Token keys deleted from Redis, by the user update that revoked them")
                    .tag("update", name(update))
                    .register(registry));
        }
    }

    @Override
    public Future<UserChange> updateUser(String poolId, String username, UserUpdate update, AuditContext audit) {
        return store.updateUser(poolId, username, update, audit)
                .onSuccess(change -> tokensRevoked.get(update).increment(change.tokensRevoked()))
                .onFailure(failure -> countAmbiguous(name(update), failure));
    }

    @Override
    public Future<StoredUser> getUser(String poolId, String username) {
        return store.getUser(poolId, username).onFailure(failure -> countAmbiguous(GET, failure));
    }

    /**
     * Labels: the operation, and how the name matched (e.g. {@code username+sub}): a subset of five
     * kinds, so the series stay few. Registered when first seen, since the data should never need it.
     */
    private void countAmbiguous(String operation, Throwable failure) {
        if (failure instanceof AmbiguousUserException ambiguous) {
            Counter.builder("idp.users.ambiguous")
                    .description("Requests refused because their Username matched more than one user "
                            + "(stored data that breaks Cognito's uniqueness rules)")
                    .tags("operation", operation, "matched", String.join("+", ambiguous.matchedAs()))
                    .register(registry)
                    .increment();
        }
    }

    private static String name(UserUpdate update) {
        return update.name().toLowerCase();
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
