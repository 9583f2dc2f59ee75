package dev.idpgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private GatewayConfig load(Map<String, String> env) {
        return loader.load(env);
    }

    private String error(Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> load(env)).getMessage();
    }

    @Test
    void aFileOfAnEarlierVersionWithTheRetiredCircuitBreakerStillLoads(@TempDir Path dir) throws IOException {
        Path earlier = dir.resolve("earlier.yaml");
        Files.writeString(earlier, "redis:\n  commandTimeout: 2s\n  circuitBreaker:\n    openFor: 5s\n");
        assertEquals(Duration.ofSeconds(2), load(Map.of("IDP_AUTH", "none", "IDP_CONFIG", earlier.toString())).redis().commandTimeout());
    }

    @Test
    void bundledDefaultsMatchTheConfigurationContract() {
        GatewayConfig config = load(Map.of("IDP_AUTH", "none"));
        assertEquals(8080, config.http().port());
        assertEquals(9090, config.management().port());
        assertEquals(List.of("redis://127.0.0.1:6379"), config.redis().urls());
        assertEquals(GatewayConfig.RedisMode.STANDALONE, config.redis().mode());
        assertEquals("us-east-1", config.auth().region());
        assertEquals("000000000000", config.auth().accountId());
        assertEquals(new RateLimit(25, Duration.ofSeconds(1)), config.rateLimits().limit());
        assertEquals(65536, config.http().maxBodyBytes());
    }

    @Test
    void bundledLimitsAreCognitosQuotaCategoriesPerAccount() {
        GatewayConfig.RateLimits limits = load(Map.of("IDP_AUTH", "none", "IDP_RATE_LIMIT", "4/1s")).rateLimits();
        assertEquals(Map.of(), limits.operations());
        GatewayConfig.CategoryLimits update = limits.categories().get("userUpdate");
        assertEquals(List.of("AdminDisableUser", "AdminEnableUser", "AdminUserGlobalSignOut"), update.operations());
        assertEquals(GatewayConfig.QuotaHolder.ACCOUNT, update.per());
        // The user-update quota follows rateLimits.default, which IDP_RATE_LIMIT sets.
        assertEquals(null, update.limit());
        GatewayConfig.CategoryLimits read = limits.categories().get("userRead");
        assertEquals(List.of("AdminGetUser"), read.operations());
        assertEquals(new RateLimit(120, Duration.ofSeconds(1)), read.limit());
        assertEquals(GatewayConfig.QuotaHolder.ACCOUNT, read.per());
    }

    @Test
    void idpRegionListsSeveralRegionsTheFirstOfWhichIsHome() {
        GatewayConfig config = load(Map.of("IDP_AUTH", "none", "IDP_REGION", "eu-west-1, us-east-1"));
        assertEquals(List.of("eu-west-1", "us-east-1"), config.auth().regions());
        assertEquals("eu-west-1", config.auth().region());
        assertEquals("auth.regions[1]: is not an AWS region name such as us-east-1",
                error(Map.of("IDP_AUTH", "none", "IDP_REGION", "us-east-1,Mars")));
    }

    @Test
    void aFileWithTheSingleAuthRegionOfEarlierVersionsStillWorks(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "auth: {region: ap-southeast-2}\n");
        assertEquals(List.of("ap-southeast-2"),
                load(Map.of("IDP_AUTH", "none", "IDP_CONFIG", file.toString())).auth().regions());

        Files.writeString(file, "auth: {region: ap-southeast-2, regions: [us-east-1]}\n");
        assertEquals(file + ": auth.region: replaced by auth.regions; set only auth.regions",
                error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", file.toString())));
    }

    @Test
    void environmentOverridesTheFile() {
        GatewayConfig config = load(Map.of("IDP_AUTH", "none", "IDP_HTTP_PORT", "18080", "IDP_MANAGEMENT_PORT", "19090",
                "IDP_REDIS_URL", "redis://a:1, redis://b:2", "IDP_REDIS_MODE", "cluster", "IDP_REGION", "eu-west-1",
                "IDP_ACCOUNT_ID", "123456789012", "IDP_RATE_LIMIT", "100/1m", "IDP_RATE_LIMIT_SCOPE", "replica"));
        assertEquals(18080, config.http().port());
        assertEquals(19090, config.management().port());
        assertEquals(List.of("redis://a:1", "redis://b:2"), config.redis().urls());
        assertEquals(GatewayConfig.RedisMode.CLUSTER, config.redis().mode());
        assertEquals(List.of("eu-west-1"), config.auth().regions());
        assertEquals("123456789012", config.auth().accountId());
        assertEquals(new RateLimit(100, Duration.ofMinutes(1)), config.rateLimits().limit());
        assertEquals(GatewayConfig.RateLimitScope.REPLICA, config.rateLimits().scope());
    }

    @Test
    void theDefaultScopeIsReplicaUnlessIdpRateLimitScopeSaysCluster() {
        GatewayConfig.RateLimits bundled = load(Map.of("IDP_AUTH", "none")).rateLimits();
        assertEquals(GatewayConfig.RateLimitScope.REPLICA, bundled.scope());
        assertFalse(bundled.anyClusterScope());
        assertEquals(new GatewayConfig.ReplicaHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(5)), bundled.heartbeat());

        GatewayConfig.RateLimits cluster = load(Map.of("IDP_AUTH", "none", "IDP_RATE_LIMIT_SCOPE", "cluster")).rateLimits();
        assertEquals(GatewayConfig.RateLimitScope.CLUSTER, cluster.scope());
        assertTrue(cluster.anyClusterScope());
    }

    @Test
    void aScopeCanBeNamedPerOperationAndPerPoolAndAShortPoolLimitInheritsIt() throws IOException {
        Path file = dir.resolve("scoped.yaml");
        Files.writeString(file, """
                rateLimits:
                  operations:
                    AdminDisableUser:
                      default: 10/1s
                      scope: cluster
                      pools:
                        us-east-1_Short: 30/1s
                        us-east-1_Own: {limit: 5/1s, scope: replica}
                        us-east-1_Long:
                          limit: 40/1m
                """);
        GatewayConfig.RateLimits limits = load(Map.of("IDP_CONFIG", file.toString(), "IDP_AUTH", "none")).rateLimits();
        GatewayConfig.OperationLimits disable = limits.operations().get("AdminDisableUser");
        assertEquals(GatewayConfig.RateLimitScope.CLUSTER, disable.scope());
        assertEquals(new ScopedLimit(new RateLimit(30, Duration.ofSeconds(1)), null), disable.pools().get("us-east-1_Short"));
        assertEquals(new ScopedLimit(new RateLimit(5, Duration.ofSeconds(1)), GatewayConfig.RateLimitScope.REPLICA),
                disable.pools().get("us-east-1_Own"));
        assertEquals(new ScopedLimit(new RateLimit(40, Duration.ofMinutes(1)), null), disable.pools().get("us-east-1_Long"));
        assertEquals(GatewayConfig.RateLimitScope.REPLICA, limits.scope());
        assertTrue(limits.anyClusterScope());
    }

    @Test
    void aFileNamedByIdpConfigIsMergedOverTheDefaults() throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                redis:
                  commandTimeout: 250ms
                rateLimits:
                  operations:
                    AdminDisableUser:
                      default: 10/1s
                      pools:
                        us-east-1_Big: 500/1s
                """);
        GatewayConfig config = load(Map.of("IDP_CONFIG", file.toString(), "IDP_AUTH", "none"));
        assertEquals(Duration.ofMillis(250), config.redis().commandTimeout());
        assertEquals(6379, Integer.parseInt(config.redis().urls().get(0).replaceAll(".*:", "")));
        GatewayConfig.OperationLimits limits = config.rateLimits().operations().get("AdminDisableUser");
        assertEquals(new RateLimit(10, Duration.ofSeconds(1)), limits.limit());
        assertEquals(new RateLimit(500, Duration.ofSeconds(1)), limits.pools().get("us-east-1_Big").limit());
    }

    @Test
    void tlsTakesACertificateAndItsKeyTogetherAndAClientCaOnlyWithThem() {
        GatewayConfig.Tls tls = load(Map.of("IDP_AUTH", "none", "IDP_TLS_CERT", "/tls/tls.crt", "IDP_TLS_KEY", "/tls/tls.key",
                "IDP_TLS_CLIENT_CA", "/tls/ca.crt")).http().tls();
        assertEquals(new GatewayConfig.Tls(Path.of("/tls/tls.crt"), Path.of("/tls/tls.key"), Path.of("/tls/ca.crt"),
                Duration.ofSeconds(10)), tls);
        assertFalse(load(Map.of("IDP_AUTH", "none")).http().tls().enabled(), "plain HTTP by default");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_TLS_CERT", "/tls/tls.crt")).startsWith("http.tls.key: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_TLS_KEY", "/tls/tls.key")).startsWith("http.tls.certificate: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_TLS_CLIENT_CA", "/tls/ca.crt")).startsWith("http.tls.clientCa: "));
    }

    @Test
    void redisUserAndPasswordWinOverUserInfoWhichLeavesTheUrls() {
        GatewayConfig.Redis fromUrl = load(Map.of("IDP_AUTH", "none",
                "IDP_REDIS_URL", "rediss://app:p%40ss@a:1,rediss://b:2", "IDP_REDIS_MODE", "cluster")).redis();
        assertEquals(List.of("rediss://a:1", "rediss://b:2"), fromUrl.urls());
        assertEquals("app", fromUrl.username());
        assertEquals("p@ss", fromUrl.password().value());
        assertTrue(fromUrl.tlsEnabled());

        GatewayConfig.Redis settings = load(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "redis://app:old@a:1",
                "IDP_REDIS_USERNAME", "idpgw", "IDP_REDIS_PASSWORD", "new-secret")).redis();
        assertEquals(List.of("redis://a:1"), settings.urls());
        assertEquals("idpgw", settings.username());
        assertEquals("new-secret", settings.password().value());
        assertFalse(settings.toString().contains("new-secret"), "the password never shows in a printed config");
        assertFalse(settings.tlsEnabled());
    }

    @Test
    void redisTlsSettingsAreCheckedAtStart() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        GatewayConfig.Redis tls = load(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "rediss://redis:6380",
                "IDP_REDIS_CA", ca.toString())).redis();
        assertEquals(ca, tls.tls().ca());
        assertTrue(tls.tls().verifyHostname());

        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "redis://redis:6379", "IDP_REDIS_CA", ca.toString()))
                .startsWith("redis.tls: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "rediss://redis:6380",
                "IDP_REDIS_CA", dir.resolve("missing.crt").toString())).startsWith("redis.tls.ca: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "rediss://redis:6380",
                "IDP_REDIS_CLIENT_CERT", ca.toString())).startsWith("redis.tls.key: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_MODE", "cluster",
                "IDP_REDIS_URL", "rediss://a:1,redis://b:2")).startsWith("redis.url: "));
        String badUrl = error(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "redis://app:pa ss@a:1"));
        assertTrue(badUrl.startsWith("redis.url: ") && !badUrl.contains("pa ss"), badUrl);
    }

    @Test
    void theRedisSettingsLoadWithoutTheRest() {
        // The seed command needs no credentials file, which auth.mode sigv4 (the default) requires.
        GatewayConfig.Redis redis = loader.loadRedis(Map.of("IDP_REDIS_URL", "rediss://u:p@redis:6380"));
        assertEquals(List.of("rediss://redis:6380"), redis.urls());
        assertTrue(assertThrows(ConfigException.class, () -> loader.loadRedis(Map.of("IDP_REDIS_MODE", "galaxy")))
                .getMessage().startsWith("redis.mode: "));
    }

    @Test
    void authHostsAreEmptyByDefaultAndTakeAFileListOrACommaSeparatedVariable() throws IOException {
        assertEquals(List.of(), load(Map.of("IDP_AUTH", "none")).auth().hosts());
        assertEquals(List.of("idp.internal", "idp.internal:8443", "10.0.0.7:8080", "[fd00::7]:8080"),
                load(Map.of("IDP_AUTH", "none", "IDP_AUTH_HOSTS", "idp.internal, idp.internal:8443,10.0.0.7:8080,[fd00::7]:8080"))
                        .auth().hosts());
        Path file = dir.resolve("hosts.yaml");
        Files.writeString(file, "auth:\n  hosts: [idp-gateway.example.internal]\n");
        assertEquals(List.of("idp-gateway.example.internal"),
                load(Map.of("IDP_AUTH", "none", "IDP_CONFIG", file.toString())).auth().hosts());
    }

    @Test
    void authHostsRefuseWhatCannotBeAHostHeader() throws IOException {
        Path file = dir.resolve("null-host.yaml");
        Files.writeString(file, "auth:\n  hosts: [idp.internal, null]\n");
        assertEquals("auth.hosts[1]: must be host or host:port as callers send it in Host",
                error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", file.toString())));

        for (String wrong : List.of("https://idp.internal", "idp.internal/", "idp.internal:port", "idp internal", "*.internal",
                "idp.internal:8443:1", "", "-idp.internal")) {
            String error = error(Map.of("IDP_AUTH", "none", "IDP_AUTH_HOSTS", wrong + ",idp.internal"));
            assertEquals("auth.hosts[0]: must be host or host:port as callers send it in Host",
                    error);
        }
    }

    @Test
    void errorsNameTheKey() throws IOException {
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_HTTP_PORT", "eighty")).startsWith("http.port: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_HTTP_PORT", "70000")).startsWith("http.port: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_MODE", "galaxy")).startsWith("redis.mode: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "http://x")).startsWith("redis.url[0]: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_RATE_LIMIT", "fast")).startsWith("rateLimits.default: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_RATE_LIMIT_SCOPE", "galaxy")).startsWith("rateLimits.scope: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REGION", "moon")).startsWith("auth.regions[0]: "));
        assertTrue(error(Map.of("IDP_AUTH", "sigv4")).startsWith("auth.credentials: "));
        assertTrue(error(Map.of("IDP_CONFIG", dir.resolve("missing.yaml").toString())).startsWith("IDP_CONFIG: "));

        Path unknownKey = dir.resolve("unknown.yaml");
        Files.writeString(unknownKey, "redis:\n  colour: blue\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", unknownKey.toString())).startsWith("redis: has an unknown setting"));

        Path badDuration = dir.resolve("duration.yaml");
        Files.writeString(badDuration, "redis:\n  commandTimeout: soon\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", badDuration.toString()))
                .startsWith("redis.commandTimeout: "));

        Path poolWithoutLimit = dir.resolve("pool.yaml");
        Files.writeString(poolWithoutLimit, "rateLimits:\n  operations:\n    AdminGetUser:\n      pools:\n        p_1: {scope: cluster}\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", poolWithoutLimit.toString()))
                .startsWith("rateLimits.operations.AdminGetUser.pools.p_1: "));

        Path shortExpiry = dir.resolve("expiry.yaml");
        Files.writeString(shortExpiry, "rateLimits:\n  heartbeat:\n    interval: 2s\n    expiry: 1s\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", shortExpiry.toString()))
                .startsWith("rateLimits.heartbeat.expiry: "));

        Path slowWait = dir.resolve("durability.yaml");
        Files.writeString(slowWait, "redis:\n  durability:\n    replicas: 1\n    timeout: 2s\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", slowWait.toString()))
                .startsWith("redis.durability.timeout: "));
        Path clusterWait = dir.resolve("cluster-durability.yaml");
        Files.writeString(clusterWait, "redis:\n  durability:\n    replicas: 1\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", clusterWait.toString(), "IDP_REDIS_MODE", "cluster"))
                .startsWith("redis.durability.replicas: "));

        Path notYaml = dir.resolve("broken.yaml");
        Files.writeString(notYaml, "redis: [unclosed\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", notYaml.toString())).contains("not valid YAML (line "));
    }

    @Test
    void errorsNeverQuoteAValueOrAnUnknownKey() throws IOException {
        String secret = "S3cretPasted";
        List<String> errors = new ArrayList<>();
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "http://:" + secret + "@host")));
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "redis://a,rediss//:" + secret + "@host")));
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_MODE", secret)));
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_HTTP_PORT", secret)));
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_RATE_LIMIT", secret)));
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_REGION", secret)));
        Path unknownKey = dir.resolve("secret-key.yaml");
        Files.writeString(unknownKey, "redis:\n  " + secret + ": x\n");
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", unknownKey.toString())));
        Path badDuration = dir.resolve("secret-duration.yaml");
        Files.writeString(badDuration, "redis:\n  commandTimeout: " + secret + "\n");
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", badDuration.toString())));
        Path wrongType = dir.resolve("secret-type.yaml");
        Files.writeString(wrongType, "redis:\n  maxPoolSize: [" + secret + "]\n");
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", wrongType.toString())));
        Path notYaml = dir.resolve("secret-broken.yaml");
        Files.writeString(notYaml, "redis:\n  url: \"redis://:" + secret + "@host\n  mode: [\n");
        errors.add(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", notYaml.toString())));

        for (String error : errors) {
            assertFalse(error.contains(secret), error);
        }
        assertEquals("redis.url[1]: each URL must start with redis:// or rediss://", errors.get(1));
        assertEquals("redis: has an unknown setting (see conf/gateway.yaml for every setting)", errors.get(6));
    }
}
