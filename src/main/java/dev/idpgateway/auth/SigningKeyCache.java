package dev.idpgateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * SigV4 signing keys, derived by the HMAC chain from {@code "AWS4" + secret} and kept for reuse: a key
 * is valid for one (secret, date, region, service), so most requests of a day share it. Bounded in
 * size, and idle entries expire so that keys removed from the file do not linger in memory.
 */
final class SigningKeyCache {
    private final Cache<Scope, byte[]> keys;

    SigningKeyCache(long maximumSize) {
        this.keys = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterAccess(Duration.ofHours(1))
                .executor(Runnable::run) // maintenance on the calling thread: no pool hops from an event loop
                .build();
    }

    /** The returned array is shared: never modify it. */
    byte[] signingKey(String secret, String date, String region, String service) {
        return keys.get(new Scope(secret, date, region, service), SigningKeyCache::derive);
    }

    static byte[] derive(Scope scope) {
        byte[] key = ("AWS4" + scope.secret()).getBytes(StandardCharsets.UTF_8);
        key = Digests.hmacSha256(key, scope.date());
        key = Digests.hmacSha256(key, scope.region());
        key = Digests.hmacSha256(key, scope.service());
        return Digests.hmacSha256(key, "aws4_request");
    }

    record Scope(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return "Scope[date=" + date + ", region=" + region + ", service=" + service + "]";
        }
    }
}
