package dev.idpgateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the configuration: the defaults bundled with the gateway ({@code conf/gateway.yaml}), then
 * the file named by {@code IDP_CONFIG} (or {@code ./conf/gateway.yaml} when present) merged over
 * them, then the {@code IDP_*} environment variables. Any problem is one {@link ConfigException}
 * whose message names the key, or the file and position: never a value or an unknown key, either of
 * which may be a secret pasted in the wrong place.
 */
public final class ConfigLoader {
    /** The environment variables that override single settings, with the key each one sets. */
    public static final Map<String, String> ENV_OVERRIDES = Map.ofEntries(
            Map.entry("IDP_HTTP_PORT", "http.port"),
            Map.entry("IDP_TLS_CERT", "http.tls.certificate"),
            Map.entry("IDP_TLS_KEY", "http.tls.key"),
            Map.entry("IDP_TLS_CLIENT_CA", "http.tls.clientCa"),
            Map.entry("IDP_MANAGEMENT_PORT", "management.port"),
            Map.entry("IDP_REDIS_URL", "redis.url"),
            Map.entry("IDP_REDIS_MODE", "redis.mode"),
            Map.entry("IDP_REDIS_RETRY_BUDGET", "redis.retry.budget"),
            Map.entry("IDP_REDIS_USERNAME", "redis.username"),
            Map.entry("IDP_REDIS_PASSWORD", "redis.password"),
            Map.entry("IDP_REDIS_CA", "redis.tls.ca"),
            Map.entry("IDP_REDIS_CLIENT_CERT", "redis.tls.certificate"),
            Map.entry("IDP_REDIS_CLIENT_KEY", "redis.tls.key"),
            Map.entry("IDP_AUTH", "auth.mode"),
            Map.entry("IDP_CREDENTIALS", "auth.credentials"),
            Map.entry("IDP_REGION", "auth.regions"),
            Map.entry("IDP_ACCOUNT_ID", "auth.accountId"),
            Map.entry("IDP_AUTH_HOSTS", "auth.hosts"),
            Map.entry("IDP_RATE_LIMIT", "rateLimits.default"),
            Map.entry("IDP_RATE_LIMIT_SCOPE", "rateLimits.scope"));
    public static final String CONFIG_FILE_VARIABLE = "IDP_CONFIG";
    /** Settings that take several values, which their variables list comma-separated (sentinel and cluster seeds, hosts, regions). */
    private static final Set<String> LIST_SETTINGS = Set.of("redis.url", "auth.hosts", "auth.regions");

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String BUNDLED_DEFAULTS = "/conf/gateway.yaml";
    private static final Path WORKING_DIR_FILE = Path.of("conf", "gateway.yaml");

    private final ObjectMapper yaml = JsonMapper.builder(new YAMLFactory())
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    public GatewayConfig load(Map<String, String> env) {
        return bind(tree(env), GatewayConfig.class, "");
    }

    /** The {@code redis} settings alone, for commands that only talk to Redis (seed): the rest need not be valid. */
    public GatewayConfig.Redis loadRedis(Map<String, String> env) {
        return bind(tree(env).get("redis"), GatewayConfig.Redis.class, "redis.");
    }

    private ObjectNode tree(Map<String, String> env) {
        ObjectNode tree = readBundledDefaults();
        Path file = configFile(env);
        if (file != null) {
            ObjectNode settings = withRegionsRenamed(readFile(file), file);
            dropRetired(settings, file);
            merge(tree, settings);
        }
        applyEnvironment(tree, env);
        return tree;
    }

    /**
     * Settings that no longer exist but that files written for an earlier version still carry: they are
     * ignored with a warning instead of stopping start-up, so that an upgrade keeps the old file working.
     */
    private static void dropRetired(ObjectNode settings, Path file) {
        RETIRED.forEach((section, setting) -> {
            JsonNode parent = settings.get(section);
            if (parent instanceof ObjectNode object && object.remove(setting.name()) != null) {
                LOG.warn("{}: {}.{} is no longer a setting and is ignored: {}", file, section, setting.name(), setting.why());
            }
        });
    }

    private record RetiredSetting(String name, String why) {
    }

    private static final Map<String, RetiredSetting> RETIRED = Map.of("redis", new RetiredSetting("circuitBreaker",
            "redis.retry (a retry budget and a probe that resumes as soon as Redis answers) replaces the circuit breaker"));

    private Path configFile(Map<String, String> env) {
        String named = env.get(CONFIG_FILE_VARIABLE);
        if (named != null && !named.isBlank()) {
            Path path = Path.of(named);
            if (!Files.isRegularFile(path)) {
                throw new ConfigException(CONFIG_FILE_VARIABLE + ": no such file: " + path);
            }
            return path;
        }
        return Files.isRegularFile(WORKING_DIR_FILE) ? WORKING_DIR_FILE : null;
    }

    private ObjectNode readBundledDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(BUNDLED_DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException("the bundled " + BUNDLED_DEFAULTS + " is missing from the build");
            }
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled " + BUNDLED_DEFAULTS, e);
        }
    }

    private ObjectNode readFile(Path file) {
        JsonNode node;
        try {
            node = yaml.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            // Only the position: the parser's own message quotes the offending text.
            JsonLocation at = e.getLocation();
            throw new ConfigException(file + ": not valid YAML"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return yaml.createObjectNode();
        }
        if (!node.isObject()) {
            throw new ConfigException(file + ": the top level must be a mapping of settings");
        }
        return (ObjectNode) node;
    }

    /**
     * Files written before several regions were served say {@code auth.region: <one region>}: that is
     * {@code auth.regions} with one element. A file that says both is ambiguous.
     */
    private static ObjectNode withRegionsRenamed(ObjectNode settings, Path file) {
        if (settings.get("auth") instanceof ObjectNode auth && auth.has("region")) {
            if (auth.has("regions")) {
                throw new ConfigException(file + ": auth.region: replaced by auth.regions; set only auth.regions");
            }
            auth.set("regions", auth.remove("region"));
        }
        return settings;
    }

    /** Deep merge: mappings merge key by key, anything else in {@code override} replaces. */
    private static void merge(ObjectNode base, ObjectNode override) {
        Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode value) {
                merge(existingObject, value);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
        ENV_OVERRIDES.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value == null || value.isBlank()) {
                return;
            }
            String[] path = key.split("\\.");
            ObjectNode parent = tree;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.with(path[i]);
            }
            String leaf = path[path.length - 1];
            if (LIST_SETTINGS.contains(key)) {
                ArrayNode items = parent.putArray(leaf);
                for (String item : value.split(",")) {
                    items.add(item.trim());
                }
            } else {
                parent.put(leaf, value.trim());
            }
        });
    }

    /** @param keyPrefix where {@code tree} sits in the whole configuration, for the key named in errors */
    private <T> T bind(JsonNode tree, Class<T> type, String keyPrefix) {
        try {
            return yaml.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ConfigException configError) {
                    throw configError;
                }
            }
            List<JsonMappingException.Reference> path = e.getPath();
            if (e instanceof UnrecognizedPropertyException) {
                // The unknown key itself is left out: the place is its parent.
                path = path.subList(0, path.size() - 1);
            }
            String key = path.stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new ConfigException((key.isEmpty() ? "configuration" : keyPrefix + key) + ": " + problem(e));
        } catch (IOException e) {
            throw new ConfigException("configuration: cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** What is wrong, in the words of the configuration rather than of Java types. */
    private static String problem(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "has an unknown setting (see conf/gateway.yaml for every setting)";
        }
        if (e.getCause() instanceof IllegalArgumentException invalid) {
            return invalid.getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> type = mismatch.getTargetType();
            String expected = type.isEnum()
                    ? "one of " + Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase()).toList()
                    : type == int.class || type == Integer.class ? "a whole number" : "a " + type.getSimpleName();
            return "expected " + expected;
        }
        // Jackson's own words would quote the value.
        return "has a value of the wrong form";
    }

    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            try {
                return Durations.parse(parser.getValueAsString());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }
}
