package dev.idpgateway.redis;

import io.vertx.core.VertxException;
import io.vertx.redis.client.impl.types.ErrorType;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A failure of a Redis call that may pass by itself, and why: the reason names the retry in the
 * metrics. Anything else (a script error, WRONGTYPE, a full connection pool) is not a fault to ride
 * through and is answered at once.
 */
public record RedisFault(String reason, boolean unreachable) {
    private static final RedisFault CONNECTION = new RedisFault("connection", true);
    private static final RedisFault TIMEOUT = new RedisFault("timeout", true);
    private static final RedisFault NOT_REPLICATED = new RedisFault("replica_ack", false);
    /** Error replies of a Redis that restarts (LOADING), fails over (READONLY, MASTERDOWN) or reshards (CLUSTERDOWN, TRYAGAIN). */
    private static final Map<String, RedisFault> PASSING_ERRORS = Stream.of("LOADING", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN")
            .collect(Collectors.toUnmodifiableMap(kind -> kind, kind -> new RedisFault(kind.toLowerCase(Locale.ROOT), false)));
    /**
     * How Redis before 7.0 reports an error of a command inside a script: "ERR Error running script ...:
     * @user_script: 1: -READONLY You can't write against a read only replica." A demoted primary answers
     * a write script so during a failover; Redis 7 refuses the script itself with READONLY.
     */
    private static final Pattern INSIDE_SCRIPT = Pattern.compile(": -([A-Z]+) ");
    /** What the client fails pending commands with when their connection ends. */
    private static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";

    /** @return the fault, or {@code null} when {@code failure} will not pass by retrying */
    public static RedisFault of(Throwable reported) {
        Throwable failure = RedisUrls.unmasked(StoreUnavailableException.described(reported));
        if (failure instanceof TimeoutException) {
            return TIMEOUT;
        }
        if (failure instanceof IOException) {
            return CONNECTION;
        }
        if (failure instanceof NotReplicatedException) {
            return NOT_REPLICATED;
        }
        if (failure instanceof ErrorType reply) {
            String kind = reply.slice(' ', 0);
            if (CONNECTION_CLOSED.equals(kind)) {
                return CONNECTION;
            }
            if ("ERR".equals(kind)) {
                Matcher inside = INSIDE_SCRIPT.matcher(String.valueOf(reply.getMessage()));
                return inside.find() ? PASSING_ERRORS.get(inside.group(1)) : null;
            }
            return kind == null ? null : PASSING_ERRORS.get(kind);
        }
        if (failure instanceof VertxException && "Connection is closed".equals(failure.getMessage())) {
            return CONNECTION;
        }
        return null;
    }
}
