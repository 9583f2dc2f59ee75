package dev.idpgateway.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Files;
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

    public record Http(String host, int port, int maxBodyBytes, int maxConnections, int maxConnectionsPerClient,
                       Duration idleTimeout, Duration requestHeaderTimeout, Duration requestReadTimeout, int verticles,
                       Duration shutdownGracePeriod, Tls tls) {
        public Http {
            requirePort("http.port", port);
            require(!requestHeaderTimeout.isZero() && !requestHeaderTimeout.isNegative(), "http.requestHeaderTimeout",
                    "must be positive");
            require(maxConnectionsPerClient >= 0, "http.maxConnectionsPerClient", "must be 0 (no per-client cap) or more");
            require(!requestReadTimeout.isZero() && !requestReadTimeout.isNegative(), "http.requestReadTimeout",
                    "must be positive");
            require(!shutdownGracePeriod.isNegative(), "http.shutdownGracePeriod", "must not be negative");
            require(maxBodyBytes >= 1024 && maxBodyBytes <= 16 * 1024 * 1024, "http.maxBodyBytes",
                    "must be between 1024 and 16777216");
            require(maxConnections >= 1, "http.maxConnections", "must be at least 1");
            require(verticles >= 0, "http.verticles", "must be 0 (one per event loop) or more");
        }
    }

    /**
     * HTTPS for the API port: a PEM certificate (chain) and its key, re-read every {@code reloadInterval};
     * with {@code clientCa}, callers must present a certificate signed by it. No certificate: plain HTTP.
     */
    public record Tls(Path certificate, Path key, Path clientCa, Duration reloadInterval) {
        public Tls {
            require((certificate == null) == (key == null), certificate == null ? "http.tls.certificate" : "http.tls.key",
                    "is required when " + (certificate == null ? "http.tls.key" : "http.tls.certificate")
                            + " is set (IDP_TLS_CERT and IDP_TLS_KEY go together)");
            require(clientCa == null || certificate != null, "http.tls.clientCa",
                    "needs http.tls.certificate and http.tls.key: client certificates are checked over HTTPS only");
            require(!reloadInterval.isZero() && !reloadInterval.isNegative(), "http.tls.reloadInterval", "must be positive");
        }

        public boolean enabled() {
            return certificate != null;
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
                        Retry retry, Durability durability, String username, Secret password,
                        RedisTls tls) {
        public Redis {
            require(!urls.isEmpty(), "redis.url", "needs at least one redis:// URL");
            // Named by position, not quoted: a URL may carry a password.
            for (int i = 0; i < urls.size(); i++) {
                require(urls.get(i).startsWith("redis://") || urls.get(i).startsWith("rediss://"), "redis.url[" + i + "]",
                        "each URL must start with redis:// or rediss://");
            }
            // One client, one set of TLS options: a mix would leave some nodes without the encryption asked for.
            require(urls.stream().map(Redis::isTls).distinct().count() == 1, "redis.url",
                    "mixes redis:// and rediss:// URLs: use rediss:// for all or none");
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
            // The settings win over user info in the URLs, which is taken out of them: no URL carries a password further.
            UserInfo fromUrls = UserInfo.of(urls);
            urls = urls.stream().map(UserInfo::strip).toList();
            username = username == null || username.isBlank() ? fromUrls.user() : username;
            password = password == null || password.value() == null || password.value().isEmpty()
                    ? fromUrls.password() : password;
            tls = tls == null ? RedisTls.NONE : tls;
            require(isTls(urls.get(0)) || (tls.ca() == null && tls.certificate() == null), "redis.tls",
                    "CA or client certificate set, but redis.url is not rediss://: TLS would not be used");
        }

        /** Whether the URLs are {@code rediss://}: then every connection, to any node, is TLS. */
        public boolean tlsEnabled() {
            return isTls(urls.get(0));
        }

        private static boolean isTls(String url) {
            return url.startsWith("rediss://");
        }
    }

    /**
     * TLS towards Redis ({@code rediss://} URLs): the CA bundle the server certificate must chain to (null: the
     * JVM's default trust store), a client certificate and key for mutual TLS, and whether the certificate must
     * name the host connected to.
     */
    public record RedisTls(Path ca, Path certificate, Path key, boolean verifyHostname) {
        static final RedisTls NONE = new RedisTls(null, null, null, true);

        public RedisTls {
            requireReadable("redis.tls.ca", ca);
            requireReadable("redis.tls.certificate", certificate);
            requireReadable("redis.tls.key", key);
            require((certificate == null) == (key == null), certificate == null ? "redis.tls.certificate" : "redis.tls.key",
                    "mutual TLS needs both redis.tls.certificate and redis.tls.key");
        }

        private static void requireReadable(String key, Path file) {
            require(file == null || Files.isReadable(file), key, "cannot read " + file);
        }
    }

    /**
     * How a request rides through a Redis fault: it retries and waits for Redis for at most {@code budget}
     * (zero: no retry), at most {@code maxWaiting} requests wait at once, and while Redis is unreachable
     * a PING every {@code probeInterval} finds the moment it answers again.
     */
    public record Retry(Duration budget, int maxWaiting, Duration probeInterval) {
        public Retry {
            require(!budget.isNegative(), "redis.retry.budget", "must not be negative");
            require(maxWaiting >= 0, "redis.retry.maxWaiting", "must not be negative");
            require(!probeInterval.isZero() && !probeInterval.isNegative(), "redis.retry.probeInterval", "must be positive");
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

    /**
     * @param regions the regions callers may sign for and whose user pools are served; the first is the home region
     * @param hosts   the Host values (host[:port]) a signature may name; empty: any
     */
    public record Auth(AuthMode mode, Path credentials,
                       @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> regions,
                       String accountId, Duration reloadInterval, List<String> hosts) {
        /** A DNS name or IPv4 address, or an IPv6 address in brackets, with an optional port: as a Host header has it. */
        private static final String HOST_AND_PORT = "([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(:\\d{1,5})?";

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
            hosts = hosts == null ? List.of() : hosts;
            // Named by position, not quoted, as every configuration error.
            for (int i = 0; i < hosts.size(); i++) {
                require(hosts.get(i) != null && hosts.get(i).matches(HOST_AND_PORT), "auth.hosts[" + i + "]",
                        "must be host or host:port as callers send it in Host");
            }
            hosts = List.copyOf(hosts);
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
