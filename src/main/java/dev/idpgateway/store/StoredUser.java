package dev.idpgateway.store;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One user as the user hash of storage contract v1.1 holds it.
 *
 * @param username   the username as created
 * @param enabled    false only when the hash says {@code enabled} is {@code false} (in any case) or {@code 0}
 * @param status     the user's status as stored, e.g. {@code CONFIRMED}; empty when the hash has none
 * @param attributes every user attribute of the hash, in {@link #ATTRIBUTE_ORDER}
 * @param createdAt  {@code created_at}, or null when absent or unreadable
 * @param modifiedAt {@code modified_at}, or null when absent or unreadable
 */
public record StoredUser(String username, boolean enabled, String status, Map<String, String> attributes,
                         Instant createdAt, Instant modifiedAt) {
    /** The user hash fields that are the gateway's own; every other field is a user attribute. */
    private static final Set<String> GATEWAY_FIELDS =
            Set.of("username", "enabled", "status", "created_at", "modified_at", "tokens_revoked_at");

    /** Cognito's standard attributes, alphabetically as Cognito's documentation lists them. */
    private static final List<String> STANDARD_ATTRIBUTES = List.of("address", "birthdate", "email", "email_verified",
            "family_name", "gender", "given_name", "locale", "middle_name", "name", "nickname", "phone_number",
            "phone_number_verified", "picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo");

    /**
     * The order attributes are reported in, stable whatever order Redis keeps the hash in: {@code sub}
     * first (as Cognito answers), then the standard attributes in {@link #STANDARD_ATTRIBUTES} order,
     * then every other attribute ({@code custom:*}, {@code dev:custom:*}) sorted by name.
     */
    static final Comparator<String> ATTRIBUTE_ORDER = Comparator.comparingInt(StoredUser::rank)
            .thenComparing(Comparator.naturalOrder());

    public StoredUser {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** From the fields of the user hash; the gateway's own fields are not attributes. */
    static StoredUser fromHash(Map<String, String> fields) {
        Map<String, String> attributes = new LinkedHashMap<>();
        fields.keySet().stream()
                .filter(field -> !GATEWAY_FIELDS.contains(field))
                .sorted(ATTRIBUTE_ORDER)
                .forEach(field -> attributes.put(field, fields.get(field)));
        return new StoredUser(fields.getOrDefault("username", ""), enabled(fields.get("enabled")),
                fields.getOrDefault("status", ""), attributes,
                epochMillis(fields.get("created_at")), epochMillis(fields.get("modified_at")));
    }

    /** Writers spell "disabled" {@code false} or {@code 0}; anything else, absence included, is enabled. */
    private static boolean enabled(String value) {
        return value == null || !(value.toLowerCase(Locale.ROOT).equals("false") || value.equals("0"));
    }

    private static int rank(String attribute) {
        if (attribute.equals("sub")) {
            return 0;
        }
        int standard = STANDARD_ATTRIBUTES.indexOf(attribute);
        return standard >= 0 ? 1 + standard : 1 + STANDARD_ATTRIBUTES.size();
    }

    private static Instant epochMillis(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
