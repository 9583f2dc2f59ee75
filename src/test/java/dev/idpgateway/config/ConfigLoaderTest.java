package dev.idpgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void environmentOverridesTheFile() {
        GatewayConfig config = load(Map.of("IDP_AUTH", "none", "IDP_HTTP_PORT", "18080", "IDP_MANAGEMENT_PORT", "19090",
                "IDP_REDIS_URL", "redis://a:1, redis://b:2", "IDP_REDIS_MODE", "cluster", "IDP_REGION", "eu-west-1",
                "IDP_ACCOUNT_ID", "123456789012", "IDP_RATE_LIMIT", "100/1m", "IDP_RATE_LIMIT_SCOPE", "replica"));
        assertEquals(18080, config.http().port());
        assertEquals(19090, config.management().port());
        assertEquals(List.of("redis://a:1", "redis://b:2"), config.redis().urls());
        assertEquals(GatewayConfig.RedisMode.CLUSTER, config.redis().mode());
        assertEquals("eu-west-1", config.auth().region());
        assertEquals("123456789012", config.auth().accountId());
        assertEquals(new RateLimit(100, Duration.ofMinutes(1)), config.rateLimits().limit());
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
        assertEquals(new RateLimit(500, Duration.ofSeconds(1)), limits.pools().get("us-east-1_Big"));
    }

    @Test
    void errorsNameTheKey() throws IOException {
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_HTTP_PORT", "eighty")).startsWith("http.port: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_HTTP_PORT", "70000")).startsWith("http.port: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_MODE", "galaxy")).startsWith("redis.mode: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", "http://x")).startsWith("redis.url: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_RATE_LIMIT", "fast")).startsWith("rateLimits.default: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_RATE_LIMIT_SCOPE", "cluster")).startsWith("rateLimits.scope: "));
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_REGION", "moon")).startsWith("auth.region: "));
        assertTrue(error(Map.of("IDP_AUTH", "sigv4")).startsWith("auth.credentials: "));
        assertTrue(error(Map.of("IDP_CONFIG", dir.resolve("missing.yaml").toString())).startsWith("IDP_CONFIG: "));

        Path unknownKey = dir.resolve("unknown.yaml");
        Files.writeString(unknownKey, "redis:\n  colour: blue\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", unknownKey.toString())).startsWith("redis.colour: "));

        Path badDuration = dir.resolve("duration.yaml");
        Files.writeString(badDuration, "redis:\n  commandTimeout: soon\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", badDuration.toString()))
                .startsWith("redis.commandTimeout: "));

        Path notYaml = dir.resolve("broken.yaml");
        Files.writeString(notYaml, "redis: [unclosed\n");
        assertTrue(error(Map.of("IDP_AUTH", "none", "IDP_CONFIG", notYaml.toString())).contains("not valid YAML"));
    }
}
