package dev.idpgateway.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One user as the user hash of storage contract v1 holds it.
 *
 * @param username   the username as created
 * @param enabled    false only when the hash says {@code enabled=false}
 * @param status     the user's status, e.g. {@code CONFIRMED}; empty when the hash has none
 * @param attributes the user attributes the contract keeps, {@code sub} first, then those the user has
 * @param createdAt  {@code created_at}, or null when absent or unreadable
 * @param modifiedAt {@code modified_at}, or null when absent or unreadable
 */
public record StoredUser(String username, boolean enabled, String status, Map<String, String> attributes,
                         Instant createdAt, Instant modifiedAt) {
    /** The user hash fields that are user attributes, in the order they are reported. */
    private static final List<String> ATTRIBUTE_FIELDS = List.of("sub", "email", "phone_number", "preferred_username");

    public StoredUser {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** From the fields of the user hash; fields that are not user attributes stay out. */
    static StoredUser fromHash(Map<String, String> fields) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String field : ATTRIBUTE_FIELDS) {
            String value = fields.get(field);
            if (value != null) {
                attributes.put(field, value);
            }
        }
        return new StoredUser(fields.getOrDefault("username", ""), !"false".equals(fields.get("enabled")),
                fields.getOrDefault("status", ""), attributes,
                epochMillis(fields.get("created_at")), epochMillis(fields.get("modified_at")));
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
