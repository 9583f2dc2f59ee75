package dev.idpgateway.cli;

import dev.idpgateway.observability.HttpProbe;
import dev.idpgateway.observability.Logging;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.deploy.ImageConfig;
import dev.idpgateway.deploy.Kustomize;
import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.testing.Polling;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every manifest under k8s/ read and held against the code: ports, probes, variables, security, the ConfigMap. */
class ManifestTest {
    private static final Path K8S = Path.of("k8s");
    private static final Path CONFIG = Path.of("conf", "gateway.yaml");
    /** What the JVM needs beside its heap, with headroom: README "Start-up and memory". */
    private static final long NON_HEAP_MIB = 160;
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Variables a manifest may set besides the config overrides: the config file, logging, OpenTelemetry. */
    private static final Set<String> OTHER_VARIABLES = Set.of(ConfigLoader.CONFIG_FILE_VARIABLE);

    private final GatewayConfig defaults = new ConfigLoader().load(Map.of("IDP_AUTH", "none"));

    @Test
    void theDrainFitsInTheTerminationGracePeriod() throws IOException {
        JsonNode pod = baseDeployment().path("spec").path("template").path("spec");
        long preStop = gatewayContainer(baseDeployment()).path("lifecycle").path("preStop").path("sleep").path("seconds").asLong();
        long drain = defaults.http().shutdownGracePeriod().toSeconds();
        assertTrue(preStop > 0, "a preStop pause lets endpoints forget the pod before it drains");
        assertTrue(pod.path("terminationGracePeriodSeconds").asLong() > preStop + drain,
                "terminationGracePeriodSeconds must exceed preStop + http.shutdownGracePeriod");
    }

    @Test
    void everyVariableSetIsOneTheGatewayReads() throws IOException {
        Set<String> known = new HashSet<>(ConfigLoader.ENV_OVERRIDES.keySet());
        known.addAll(OTHER_VARIABLES);
        known.addAll(Logging.ENVIRONMENT);
        List<String> unknown = new ArrayList<>();
        for (JsonNode container : containers()) {
            for (String name : variables(container)) {
                if ((name.startsWith("IDP_") && !known.contains(name)) || !(name.startsWith("IDP_") || name.startsWith("OTEL_"))) {
                    unknown.add(name);
                }
            }
        }
        assertEquals(List.of(), unknown, "variables no part of the gateway reads");
    }

    @Test
    void everyContainerHasResourcesAndARestrictedSecurityContext() throws IOException {
        for (JsonNode manifest : manifests()) {
            JsonNode pod = manifest.path("spec").path("template").path("spec");
            for (JsonNode container : pod.path("containers")) {
                String name = manifest.path("metadata").path("name").asText() + "/" + container.path("name").asText();
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertFalse(container.path("resources").path(kind).path(resource).isMissingNode(),
                                name + " has no " + kind + "." + resource);
                    }
                }
                JsonNode security = container.path("securityContext");
                assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), name + ": privilege escalation");
                assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name + ": writable root filesystem");
                assertTrue(security.path("capabilities").path("drop").toString().contains("\"ALL\""), name + ": capabilities kept");
                assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean()
                        || security.path("runAsNonRoot").asBoolean(), name + ": may run as root");
                assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), name + ": service account token mounted");
            }
        }
    }

    @Test
    void theImagesHeapLeavesTheJvmItsOwnMemoryWithinTheLimit() throws Exception {
        JsonNode resources = gatewayContainer(baseDeployment()).path("resources");
        long limit = mebibytes(resources.path("limits").path("memory").asText());
        assertEquals(limit, mebibytes(resources.path("requests").path("memory").asText()),
                "memory requested must be the limit: a pod above its request is evicted first");
        String percentage = ImageConfig.read().entrypoint().stream().filter(flag -> flag.startsWith("-XX:MaxRAMPercentage="))
                .map(flag -> flag.substring(flag.indexOf('=') + 1)).findFirst().orElseThrow();
        long besideTheHeap = limit - (long) (limit * Double.parseDouble(percentage) / 100);
        assertTrue(besideTheHeap >= NON_HEAP_MIB, "the heap leaves " + besideTheHeap + " MiB of " + limit
                + " MiB to the rest of the JVM; it uses about 100-120 MiB under load");
    }

    /** A full collection for metadata before ready costs start-up 20-40 ms: the image's threshold is above what a start loads. */
    @Test
    void theImagesMetaspaceThresholdLetsTheGatewayStartWithoutAFullCollection() throws Exception {
        String threshold = ImageConfig.read().entrypoint().stream().filter(flag -> flag.startsWith("-XX:MetaspaceSize="))
                .findFirst().orElseThrow(() -> new AssertionError("the image leaves the metaspace threshold at the JVM's default"));
        Path work = Files.createDirectories(Path.of("target", "metaspace-threshold"));
        Path log = work.resolve("gateway.log");
        Path gcLog = work.resolve("gc.log");
        Files.deleteIfExists(gcLog);
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {
            ProcessBuilder builder = MainProcess.builder("serve").redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("IDP_"));
            builder.environment().putAll(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", redis.url(), "IDP_HTTP_PORT", "0",
                    "IDP_MANAGEMENT_PORT", "0", "JAVA_TOOL_OPTIONS", threshold + " -Xlog:gc:file=" + gcLog));
            Process gateway = builder.start();
            try {
                MainProcess.Ports ports = MainProcess.awaitPorts(gateway, log, Duration.ofSeconds(60));
                Polling.await("the gateway process to be ready", Duration.ofSeconds(60), () -> HttpProbe.status(
                        URI.create("http://127.0.0.1:" + ports.management() + "/health/ready")) == 200);
            } finally {
                gateway.destroy();
                assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "the gateway did not stop");
            }
        }
        assertFalse(Files.readString(gcLog).contains("Metadata GC Threshold"), Files.readString(gcLog));
    }

    /** RenderedManifestTest checks that the archive's directory is a writable emptyDir. */
    @Test
    void theImagesClassPathIsJarsOnlySoThatTheJvmCanWriteItsClassDataArchive() {
        ImageConfig image = ImageConfig.read();
        List<String> entrypoint = image.entrypoint();
        String classPath = entrypoint.get(entrypoint.indexOf("-cp") + 1);
        for (String entry : classPath.split(":")) {
            assertTrue(entry.endsWith(".jar") || entry.endsWith("/*"), "class path entry " + entry
                    + " is no jar: the JVM writes no class-data archive for a class path with directories");
        }
        assertTrue(image.flag("-XX:SharedArchiveFile").isPresent(), "the image names no class-data archive");
        assertTrue(entrypoint.contains("-XX:+AutoCreateSharedArchive"), "nothing writes the archive");
    }

    @Test
    void theConfigMapIsConfGatewayYaml() throws IOException {
        JsonNode kustomization = YAML.readTree(K8S.resolve("base/kustomization.yaml").toFile());
        JsonNode generator = kustomization.path("configMapGenerator").get(0);
        assertEquals("gateway.yaml", generator.path("files").get(0).asText());
        assertEquals(Files.readString(CONFIG), Files.readString(K8S.resolve("base/gateway.yaml")),
                "k8s/base/gateway.yaml differs from conf/gateway.yaml: cp conf/gateway.yaml k8s/base/gateway.yaml");
    }

    @Test
    void everyOverlayRendersAConfigMapHoldingConfGatewayYaml() throws Exception {
        for (Map.Entry<String, List<JsonNode>> overlay : Kustomize.renderAll().entrySet()) {
            boolean configMapIsTheFile = false;
            for (JsonNode manifest : overlay.getValue()) {
                if (manifest.path("kind").asText().equals("ConfigMap")) {
                    configMapIsTheFile |= Files.readString(CONFIG).equals(manifest.path("data").path("gateway.yaml").asText());
                }
            }
            assertTrue(configMapIsTheFile, overlay.getKey() + " renders no ConfigMap holding conf/gateway.yaml");
        }
    }

    @Test
    void productionServesHttpsFromAMountedSecretAndProbesStayPlain() throws Exception {
        JsonNode deployment = Kustomize.render(K8S.resolve("overlays/production")).stream()
                .filter(manifest -> manifest.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        JsonNode container = gatewayContainer(deployment);
        Map<String, String> env = new java.util.HashMap<>();
        container.path("env").forEach(variable -> env.put(variable.path("name").asText(), variable.path("value").asText()));
        Map<String, String> secretVolumes = new java.util.HashMap<>();
        deployment.path("spec").path("template").path("spec").path("volumes").forEach(volume ->
                secretVolumes.put(volume.path("name").asText(), volume.path("secret").path("secretName").asText(null)));
        for (String variable : List.of("IDP_TLS_CERT", "IDP_TLS_KEY")) {
            String file = env.get(variable);
            assertTrue(file != null, variable + " is not set in production");
            boolean fromSecret = false;
            for (JsonNode mount : container.path("volumeMounts")) {
                fromSecret |= file.startsWith(mount.path("mountPath").asText() + "/")
                        && secretVolumes.get(mount.path("name").asText()) != null
                        && mount.path("readOnly").asBoolean();
            }
            assertTrue(fromSecret, variable + "=" + file + " is not a file of a read-only Secret mount");
        }
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals("management", get.path("port").asText(), probe + " must stay on the plain management port");
            assertNotEquals("HTTPS", get.path("scheme").asText(), probe + ": the management port speaks plain HTTP");
        }
    }

    @Test
    void productionShipsTheDashboardForGrafanasSidecarAndTheAlertRules() throws Exception {
        Path monitoring = K8S.resolve("overlays/production/monitoring");
        JsonNode dashboard = JSON.readTree(monitoring.resolve("dashboard.json").toFile());
        JsonNode rules = YAML.readTree(monitoring.resolve("alerts.yaml").toFile()).path("spec");
        boolean dashboardShipped = false;
        boolean rulesShipped = false;
        for (JsonNode manifest : Kustomize.render(K8S.resolve("overlays/production"))) {
            String kind = manifest.path("kind").asText();
            if (kind.equals("ConfigMap") && manifest.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1")) {
                for (JsonNode file : manifest.path("data")) {
                    dashboardShipped |= dashboard.equals(JSON.readTree(file.asText()));
                }
            }
            rulesShipped |= kind.equals("PrometheusRule") && rules.equals(manifest.path("spec"));
        }
        assertTrue(dashboardShipped, "no ConfigMap labelled grafana_dashboard: \"1\" holds the dashboard");
        assertTrue(rulesShipped, "no PrometheusRule holds the alert rules");
    }



    /** A Kubernetes memory quantity in Mi or Gi, in MiB. */
    private static long mebibytes(String quantity) {
        assertTrue(quantity.endsWith("Mi") || quantity.endsWith("Gi"), "memory quantity " + quantity + ": use Mi or Gi");
        long value = Long.parseLong(quantity.substring(0, quantity.length() - 2));
        return quantity.endsWith("Gi") ? value * 1024 : value;
    }

    private static JsonNode baseDeployment() throws IOException {
        return YAML.readTree(K8S.resolve("base/deployment.yaml").toFile());
    }

    private static JsonNode gatewayContainer(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** The containers of every workload, and the env entries kustomize patches add to them. */
    private static List<JsonNode> containers() throws IOException {
        List<JsonNode> containers = new ArrayList<>();
        for (JsonNode manifest : manifests()) {
            manifest.path("spec").path("template").path("spec").path("containers").forEach(containers::add);
            // A JSON patch that adds an env entry: {op: add, path: .../env/-, value: {name, value}}.
            for (JsonNode patch : manifest.path("patches")) {
                for (JsonNode operation : YAML.readTree(patch.path("patch").asText(""))) {
                    if (operation.path("path").asText().endsWith("/env/-")) {
                        containers.add(YAML.createObjectNode().set("env", YAML.createArrayNode().add(operation.path("value"))));
                    }
                }
            }
        }
        return containers;
    }

    private static List<String> variables(JsonNode container) {
        List<String> names = new ArrayList<>();
        container.path("env").forEach(variable -> names.add(variable.path("name").asText()));
        return names;
    }

    /** Every YAML document in every file under k8s/. */
    private static List<JsonNode> manifests() throws IOException {
        List<JsonNode> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("gateway.yaml")) {
                    continue;
                }
                try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    manifests.addAll(documents.readAll());
                }
            }
        }
        return manifests;
    }

}
