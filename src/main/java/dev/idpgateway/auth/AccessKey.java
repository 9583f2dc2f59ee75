package dev.idpgateway.auth;

import java.util.Objects;

/** One access key of a principal. The secret never leaves this package and never appears in toString. */
public final class AccessKey {
    private final String id;
    private final String secret;
    private final Principal principal;

    AccessKey(String id, String secret, Principal principal) {
        this.id = Objects.requireNonNull(id);
        this.secret = Objects.requireNonNull(secret);
        this.principal = Objects.requireNonNull(principal);
    }

    public String id() {
        return id;
    }

    public Principal principal() {
        return principal;
    }

    String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "AccessKey[id=" + id + ", principal=" + principal.name() + "]";
    }
}
