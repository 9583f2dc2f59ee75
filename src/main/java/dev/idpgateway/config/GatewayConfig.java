package dev.idpgateway.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, immutable. Every setting is described in {@code conf/gateway.yaml};
 * {@link ConfigLoader} reads it and applies the {@code IDP_*} environment overrides.
 */
public record GatewayConfig(Http http, Management management, Redis redis, Auth auth, RateLimits rateLimits,
                            Audit audit) {

    public record Http(String host, int port, int maxBodyBytes, int maxConnections, Duration idleTimeout,
                       Duration requestReadTimeout, int verticles, Duration shutdownGracePeriod) {
        public Http {
            requirePort("http.port", port);
            require(!requestReadTimeout.isZero() && !requestReadTimeout.isNegative(), "http.requestReadTimeout",
                    "must be positive");
            require(!shutdownGracePeriod.isNegative(), "http.shutdownGracePeriod", "must not be negative");
            require(maxBodyBytes >= 1024 && maxBodyBytes <= 16 * 1024 * 1024, "http.maxBodyBytes",
                    "must be between 1024 and 16777216");
            require(maxConnections >= 1, "http.maxConnections", "must be at least 1");
            require(verticles >= 0, "http.verticles", "must be 0 (one per event loop) or more");
        }
    }

    public record Management(String host, int port) {
        public Management {
            requirePort("management.port", port);
        }
    }

    public enum RedisMode { STANDALONE, SENTINEL, CLUSTER }

    public record Redis(@JsonProperty("url") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                        List<String> urls, RedisMode mode, String masterName, String keyPrefix,
                        Duration commandTimeout, int maxPoolSize, int maxPoolWaiting, Duration poolCacheTtl,
                        CircuitBreaker circuitBreaker, Durability durability) {
        public Redis {
            require(!urls.isEmpty(), "redis.url", "needs at least one redis:// URL");
            // Named by position, not quoted: a URL may carry a password.
            for (int i = 0; i < urls.size(); i++) {
                require(urls.get(i).startsWith("redis://") || urls.get(i).startsWith("rediss://"), "redis.url[" + i + "]",
                        "each URL must start with redis:// or rediss://");
            }
            require(mode != RedisMode.STANDALONE || urls.size() == 1, "redis.url",
                    "standalone mode takes exactly one URL");
            require(!keyPrefix.isBlank() && !keyPrefix.contains("{") && !keyPrefix.contains("}"),
                    "redis.keyPrefix", "must be non-empty and contain no braces");
            require(!commandTimeout.isZero(), "redis.commandTimeout", "must be positive");
            require(maxPoolSize >= 1, "redis.maxPoolSize", "must be at least 1");
            require(maxPoolWaiting >= 0, "redis.maxPoolWaiting", "must not be negative");
            require(durability.replicas() == 0 || durability.timeout().compareTo(commandTimeout) < 0,
                    "redis.durability.timeout",
                    "must be shorter than redis.commandTimeout, which bounds the WAIT too");
            // WAIT counts the replicas of the connection's node; a cluster connection has one per shard.
            require(durability.replicas() == 0 || mode != RedisMode.CLUSTER, "redis.durability.replicas",
                    "is not supported in cluster mode yet: leave it 0");
            urls = List.copyOf(urls);
        }
    }

    /**
     * When this share of the last {@code window} Redis calls failed (after at least {@code minimumCalls}),
     * the gateway stops calling Redis for {@code openFor} and answers InternalErrorException at once.
     */
    public record CircuitBreaker(int failureRateThreshold, int window, int minimumCalls, Duration openFor) {
        public CircuitBreaker {
            require(failureRateThreshold >= 1 && failureRateThreshold <= 100, "redis.circuitBreaker.failureRateThreshold",
                    "must be a percentage from 1 to 100");
            require(window >= 1, "redis.circuitBreaker.window", "must be at least 1");
            require(minimumCalls >= 1, "redis.circuitBreaker.minimumCalls", "must be at least 1");
            require(!openFor.isZero(), "redis.circuitBreaker.openFor", "must be positive");
        }
    }

    /** After each change, WAIT until {@code replicas} replicas have it, for at most {@code timeout}. */
    public record Durability(int replicas, Duration timeout) {
        public Durability {
            require(replicas >= 0, "redis.durability.replicas", "must not be negative");
            require(!timeout.isZero(), "redis.durability.timeout", "must be positive");
        }
    }

    public enum AuthMode { SIGV4, NONE }

    /** @param regions the regions callers may sign for and whose user pools are served; the first is the home region */
    public record Auth(AuthMode mode, Path credentials,
                       @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> regions,
                       String accountId, Duration reloadInterval) {
        public Auth {
            require(!regions.isEmpty(), "auth.regions", "needs at least one region");
            for (int i = 0; i < regions.size(); i++) {
                require(regions.get(i).matches("[a-z]{2}(-[a-z]+)+-\\d"), "auth.regions[" + i + "]",
                        "is not an AWS region name such as us-east-1");
            }
            regions = List.copyOf(regions);
            require(accountId.matches("\\d{12}"), "auth.accountId", "must be 12 digits");
            require(mode != AuthMode.SIGV4 || credentials != null, "auth.credentials",
                    "is required when auth.mode is sigv4 (set IDP_CREDENTIALS)");
        }

        /** The home region: the first of {@link #regions}, which dev mode and examples sign for. */
        public String region() {
            return regions.get(0);
        }
    }

    /** Where a limit holds: in each gateway process, or for all of them together (split evenly among the live ones). */
    public enum RateLimitScope { REPLICA, CLUSTER }

    /**
     * Per-operation limits: a default for the operation and overrides for single pools. {@code scope}
     * (null: the default scope) applies to both, except to a pool limit that names its own.
     */
    public record OperationLimits(@JsonProperty("default") RateLimit limit, RateLimitScope scope,
                                  Map<String, ScopedLimit> pools) {
        public OperationLimits {
            pools = pools == null ? Map.of() : Map.copyOf(pools);
        }
    }

    /** How replicas count each other for cluster-scoped limits: each renews its entry this often, and one silent for {@code expiry} stops counting. */
    public record ReplicaHeartbeat(Duration interval, Duration expiry) {
        public ReplicaHeartbeat {
            require(!interval.isZero(), "rateLimits.heartbeat.interval", "must be positive");
            require(expiry.compareTo(interval) > 0, "rateLimits.heartbeat.expiry",
                    "must be longer than rateLimits.heartbeat.interval, or a live replica would drop out between two heartbeats");
        }
    }

    /** Whom one limit counts together: each user pool on its own, or every pool of the account. */
    public enum QuotaHolder { POOL, ACCOUNT }

    /**
     * A limit that several operations share, as Cognito's quota categories are shared: {@code limit}
     * (null: rateLimits.default) counts their requests together, per pool or for the whole account,
     * in the replica or cluster {@code scope} (null: rateLimits.scope).
     */
    public record CategoryLimits(List<String> operations, @JsonProperty("default") RateLimit limit,
                                 RateLimitScope scope, QuotaHolder per) {
        public CategoryLimits {
            operations = operations == null ? List.of() : List.copyOf(operations);
            per = per == null ? QuotaHolder.ACCOUNT : per;
        }
    }

    public record RateLimits(@JsonProperty("default") RateLimit limit, RateLimitScope scope, int maxLimiters,
                             Duration limiterIdleExpiry, ReplicaHeartbeat heartbeat, Map<String, OperationLimits> operations,
                             Map<String, CategoryLimits> categories) {
        public RateLimits {
            require(maxLimiters >= 1, "rateLimits.maxLimiters", "must be at least 1");
            operations = operations == null ? Map.of() : Map.copyOf(operations);
            categories = categories == null ? Map.of() : Map.copyOf(categories);
            Map<String, String> categoryOf = new HashMap<>();
            categories.forEach((name, category) -> {
                require(!category.operations().isEmpty(), "rateLimits.categories." + name + ".operations",
                        "needs at least one operation");
                category.operations().forEach(operation -> require(categoryOf.putIfAbsent(operation, name) == null,
                        "rateLimits.categories." + name + ".operations",
                        operation + " is already in category " + categoryOf.get(operation) + "; an operation is in one category"));
            });
        }

        /** Whether some limit holds cluster-wide, so that the replicas have to count each other. */
        public boolean anyClusterScope() {
            return scope == RateLimitScope.CLUSTER || operations.values().stream().anyMatch(operation ->
                    operation.scope() == RateLimitScope.CLUSTER || operation.pools().values().stream()
                            .anyMatch(pool -> pool.scope() == RateLimitScope.CLUSTER))
                    || categories.values().stream().anyMatch(category -> category.scope() == RateLimitScope.CLUSTER);
        }
    }

    public record Audit(int maxLength) {
        public Audit {
            require(maxLength >= 1, "audit.maxLength", "must be at least 1");
        }
    }

    private static void requirePort(String key, int port) {
        require(port >= 0 && port <= 65535, key, "must be a TCP port (0 to 65535), got " + port);
    }

    private static void require(boolean condition, String key, String problem) {
        if (!condition) {
            throw new ConfigException(key + ": " + problem);
        }
    }
}
