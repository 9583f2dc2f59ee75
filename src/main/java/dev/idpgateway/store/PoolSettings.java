package dev.idpgateway.store;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The settings of one user pool that decide how a {@code Username} is resolved.
 *
 * @param caseSensitive    false when usernames (and email, preferred_username aliases) ignore case
 * @param lookupAttributes the attributes a user may be named by, in the order they are tried
 */
public record PoolSettings(boolean caseSensitive, List<String> lookupAttributes) {
    /** The attributes the storage contract indexes, in the order resolution tries them. */
    private static final List<String> INDEXED_ATTRIBUTES = List.of("email", "phone_number", "preferred_username");

    /** From the fields of the pool hash; unknown attribute names are ignored. */
    static PoolSettings fromHash(Map<String, String> fields) {
        boolean caseSensitive = !"false".equalsIgnoreCase(fields.getOrDefault("case_sensitive", "true"));
        String listed = fields.getOrDefault("alias_attributes", "") + "," + fields.getOrDefault("username_attributes", "");
        Set<String> allowed = Arrays.stream(listed.split(",")).map(String::trim).collect(Collectors.toSet());
        return new PoolSettings(caseSensitive, INDEXED_ATTRIBUTES.stream().filter(allowed::contains).toList());
    }

    /** {@code <ukey>}: the username in NFC, case-folded when the pool ignores case ({@link CaseFolding}). */
    public String userKey(String username) {
        return caseSensitive ? CaseFolding.canonical(username) : CaseFolding.fold(username);
    }

    /** How the alias index spells {@code value} of {@code attribute}: in NFC, case-folded where case is ignored. */
    public String aliasValue(String attribute, String value) {
        return ignoresCase(attribute) ? CaseFolding.fold(value) : CaseFolding.canonical(value);
    }

    /**
     * How the index of {@code field} spells {@code value}: {@link #aliasValue} for an alias attribute;
     * a {@code sub} is an opaque id, indexed exactly as the user hash holds it.
     */
    String indexValue(String field, String value) {
        return field.equals("sub") ? value : aliasValue(field, value);
    }

    /** Email and preferred_username ignore case in a case-insensitive pool; a phone number has none. */
    public boolean ignoresCase(String attribute) {
        return !caseSensitive && !attribute.equals("phone_number");
    }
}
