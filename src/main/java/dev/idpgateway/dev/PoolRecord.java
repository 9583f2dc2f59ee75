package dev.idpgateway.dev;

import dev.idpgateway.store.PoolSettings;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A user pool as storage contract v1 keeps it in {@code idp:pool:{<poolId>}}, plus the rules
 * that derive a user's key and alias index values from the pool's settings.
 *
 * <pre>{@code
 * PoolRecord pool = PoolRecord.of("us-east-1_Test1").withCaseSensitive(false).withAliasAttributes("email");
 * }</pre>
 */
public record PoolRecord(String poolId, boolean caseSensitive, List<String> aliasAttributes,
                         List<String> usernameAttributes) {

    public static final Set<String> ALIAS_ATTRIBUTES = Set.of("email", "phone_number", "preferred_username");
    public static final Set<String> USERNAME_ATTRIBUTES = Set.of("email", "phone_number");

    public PoolRecord {
        Objects.requireNonNull(poolId, "poolId");
        aliasAttributes = checked(aliasAttributes, ALIAS_ATTRIBUTES, "alias");
        usernameAttributes = checked(usernameAttributes, USERNAME_ATTRIBUTES, "username");
    }

    /** A case-sensitive pool without alias or username attributes (the contract's defaults). */
    public static PoolRecord of(String poolId) {
        return new PoolRecord(poolId, true, List.of(), List.of());
    }

    public PoolRecord withCaseSensitive(boolean caseSensitive) {
        return new PoolRecord(poolId, caseSensitive, aliasAttributes, usernameAttributes);
    }

    public PoolRecord withAliasAttributes(String... attributes) {
        return new PoolRecord(poolId, caseSensitive, List.of(attributes), usernameAttributes);
    }

    public PoolRecord withUsernameAttributes(String... attributes) {
        return new PoolRecord(poolId, caseSensitive, aliasAttributes, List.of(attributes));
    }

    /** The {@code <ukey>} of a username, by the same rule the gateway resolves it with. */
    public String userKey(String username) {
        return settings().userKey(username);
    }

    /** Attributes that get an alias index: the alias attributes, then the username attributes. */
    public Set<String> indexedAttributes() {
        Set<String> indexed = new LinkedHashSet<>(aliasAttributes);
        indexed.addAll(usernameAttributes);
        return indexed;
    }

    /** The value as it appears in an alias key, by the same rule the gateway looks it up with. */
    public String aliasValue(String attribute, String value) {
        return settings().aliasValue(attribute, value);
    }

    /** The gateway's view of this pool, which owns the case rules of the storage contract. */
    private PoolSettings settings() {
        return new PoolSettings(caseSensitive, List.copyOf(indexedAttributes()));
    }

    private static List<String> checked(List<String> attributes, Set<String> allowed, String kind) {
        List<String> copy = List.copyOf(attributes);
        for (String attribute : copy) {
            if (!allowed.contains(attribute)) {
                throw new IllegalArgumentException(
                        "Not a " + kind + " attribute: " + attribute + " (allowed: " + allowed + ")");
            }
        }
        return copy;
    }
}
