package dev.idpgateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A rate limit and where it holds. In the file a pool's limit is either the short form {@code 25/1s},
 * whose scope is inherited (null here), or {@code {limit: 25/1s, scope: cluster}}.
 */
public record ScopedLimit(RateLimit limit, GatewayConfig.RateLimitScope scope) {
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public ScopedLimit {
        if (limit == null) {
            throw new IllegalArgumentException("needs a limit, e.g. 25/1s or {limit: 25/1s, scope: cluster}");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ScopedLimit inheritingScope(String limit) {
        return new ScopedLimit(RateLimit.parse(limit), null);
    }

    /** This limit with its own scope, or with {@code inherited} when it names none. */
    public ScopedLimit orScope(GatewayConfig.RateLimitScope inherited) {
        return scope != null ? this : new ScopedLimit(limit, inherited);
    }
}
