package dev.idpgateway.dev;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One user as storage contract v1 keeps it: the fields of {@code idp:user:{...}} and the ids of
 * the user's tokens. Built with {@link #builder(String)}; defaults: a random UUID sub, enabled,
 * status CONFIRMED, created and modified now, no tokens.
 *
 * <pre>{@code
 * UserRecord alice = UserRecord.builder("Alice").email("Alice@Example.com").tokens(3).build();
 * }</pre>
 */
public record UserRecord(String username, String sub, boolean enabled, String status, String email,
                         String phoneNumber, String preferredUsername, long createdAt, long modifiedAt,
                         List<String> tokenIds) {

    public UserRecord {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sub, "sub");
        Objects.requireNonNull(status, "status");
        tokenIds = List.copyOf(tokenIds);
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
            return new UserRecord(username, sub, enabled, status, email, phoneNumber, preferredUsername,
                    createdAt, modifiedAt == null ? createdAt : modifiedAt, tokenIds);
        }
    }
}
