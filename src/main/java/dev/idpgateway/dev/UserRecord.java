package dev.idpgateway.dev;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One user as storage contract v1.1 keeps it: the fields of {@code idp:user:{...}} and the ids of
 * the user's tokens. Built with {@link #builder(String)}; defaults: a random UUID sub, enabled,
 * status CONFIRMED, created and modified now, no tokens; an email or phone number is verified
 * ({@code email_verified=true}) unless the record says otherwise with {@link Builder#attribute}.
 *
 * <pre>{@code
 * UserRecord alice = UserRecord.builder("Alice").email("Alice@Example.com").attribute("custom:tenant", "acme")
 *         .tokens(3).build();
 * }</pre>
 *
 * @param otherAttributes every attribute besides sub, email, phone_number and preferred_username,
 *                        by Cognito name: {@code email_verified}, {@code given_name}, {@code custom:tenant}...
 */
public record UserRecord(String username, String sub, boolean enabled, String status, String email,
                         String phoneNumber, String preferredUsername, Map<String, String> otherAttributes,
                         long createdAt, long modifiedAt, List<String> tokenIds) {

    public UserRecord {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sub, "sub");
        Objects.requireNonNull(status, "status");
        otherAttributes = Map.copyOf(otherAttributes);
        tokenIds = List.copyOf(tokenIds);
    }

    /**
     * Whether the alias index may name this user by {@code attribute}: Cognito resolves an email or
     * phone number only while it is verified; preferred_username needs no verification.
     */
    public boolean verified(String attribute) {
        return attribute.equals("preferred_username") || "true".equals(otherAttributes.get(attribute + "_verified"));
    }

    public static Builder builder(String username) {
        return new Builder(username);
    }

    /** The value of an alias-capable attribute, or null when the user has none. */
    public String attribute(String name) {
        return switch (name) {
            case "email" -> email;
            case "phone_number" -> phoneNumber;
            case "preferred_username" -> preferredUsername;
            default -> throw new IllegalArgumentException("Not an alias attribute: " + name);
        };
    }

    public static final class Builder {
        private final String username;
        private String sub = RandomIds.uuid();
        private boolean enabled = true;
        private String status = "CONFIRMED";
        private String email;
        private String phoneNumber;
        private String preferredUsername;
        private final Map<String, String> otherAttributes = new TreeMap<>();
        private long createdAt = System.currentTimeMillis();
        private Long modifiedAt;
        private final List<String> tokenIds = new ArrayList<>();

        private Builder(String username) {
            this.username = username;
        }

        public Builder sub(String sub) {
            this.sub = sub;
            return this;
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder disabled() {
            return enabled(false);
        }

        public Builder status(String status) {
            this.status = status;
            return this;
        }

        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder phoneNumber(String phoneNumber) {
            this.phoneNumber = phoneNumber;
            return this;
        }

        public Builder preferredUsername(String preferredUsername) {
            this.preferredUsername = preferredUsername;
            return this;
        }

        /** Any attribute but sub, email, phone_number and preferred_username, e.g. {@code custom:tenant}. */
        public Builder attribute(String name, String value) {
            this.otherAttributes.put(name, value);
            return this;
        }

        public Builder createdAt(long epochMillis) {
            this.createdAt = epochMillis;
            return this;
        }

        /** Defaults to createdAt. */
        public Builder modifiedAt(long epochMillis) {
            this.modifiedAt = epochMillis;
            return this;
        }

        /** Adds tokens with these ids. */
        public Builder tokenIds(String... ids) {
            tokenIds.addAll(List.of(ids));
            return this;
        }

        /** Adds this many tokens with random UUID ids. */
        public Builder tokens(int count) {
            for (int i = 0; i < count; i++) {
                tokenIds.add(RandomIds.uuid());
            }
            return this;
        }

        public UserRecord build() {
            Map<String, String> attributes = new TreeMap<>(otherAttributes);
            if (email != null) {
                attributes.putIfAbsent("email_verified", "true");
            }
            if (phoneNumber != null) {
                attributes.putIfAbsent("phone_number_verified", "true");
            }
            return new UserRecord(username, sub, enabled, status, email, phoneNumber, preferredUsername, attributes,
                    createdAt, modifiedAt == null ? createdAt : modifiedAt, tokenIds);
        }
    }
}
