package dev.idpgateway.dev;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

    /** The {@code <ukey>} of a username: lower-cased (Locale.ROOT) in a case-insensitive pool. */
    public String userKey(String username) {
        return caseSensitive ? username : username.toLowerCase(Locale.ROOT);
    }

    /** Attributes that get an alias index: the alias attributes, then the username attributes. */
    public Set<String> indexedAttributes() {
        Set<String> indexed = new LinkedHashSet<>(aliasAttributes);
        indexed.addAll(usernameAttributes);
        return indexed;
    }

    /** The value as it appears in an alias key: email and preferred_username fold case in a case-insensitive pool. */
    public String aliasValue(String attribute, String value) {
        boolean folds = !caseSensitive && (attribute.equals("email") || attribute.equals("preferred_username"));
        return folds ? value.toLowerCase(Locale.ROOT) : value;
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
