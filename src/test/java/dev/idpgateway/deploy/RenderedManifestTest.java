package dev.idpgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.observability.HttpProbe;
import dev.idpgateway.testing.Polling;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static dev.idpgateway.deploy.Kustomize.ofKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overlays as {@code kubectl apply -k} sends them, held against the mistakes that stop a first deployment on a
 * cluster that enforces NetworkPolicy: selectors that select nothing (or too much), objects that overwrite what the
 * deploy steps had the operator create, fields that fight a controller, and ports, probes and volumes that do not
 * match what the configuration serves and what the image holds.
 */
class RenderedManifestTest {
    private static final String GATEWAY = "idp-gateway";
    /** The variables that name a file the gateway reads. */
    private static final List<String> FILE_VARIABLES = List.of(ConfigLoader.CONFIG_FILE_VARIABLE, "IDP_CREDENTIALS",
            "IDP_TLS_CERT", "IDP_TLS_KEY", "IDP_TLS_CLIENT_CA", "IDP_REDIS_CA", "IDP_REDIS_CLIENT_CERT", "IDP_REDIS_CLIENT_KEY");
    /** A namespace label that Kubernetes itself sets on every namespace: no step needs to. */
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final DeploySteps steps = DeploySteps.read();
    private final ImageConfig image = ImageConfig.read();

    @Test
    void theDnsRuleSelectsOnlyTheClusterDnsPods() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            for (JsonNode policy : ofKind(objects, "NetworkPolicy")) {
                List<JsonNode> dnsRules = new ArrayList<>();
                policy.path("spec").path("egress").forEach(rule -> {
                    if (rule.path("ports").findValues("port").stream().anyMatch(port -> port.asInt() == 53)) {
                        dnsRules.add(rule);
                    }
                });
                assertFalse(dnsRules.isEmpty(), overlay + ": no egress rule allows DNS (port 53)");
                for (JsonNode rule : dnsRules) {
                    for (JsonNode peer : rule.path("to")) {
                        assertFalse(peer.path("podSelector").has("matchExpressions") || peer.path("namespaceSelector").has("matchExpressions"),
                                overlay + ": the DNS rule selects by expressions: " + peer);
                        assertEquals(Map.of(NAMESPACE_NAME_LABEL, "kube-system"), labels(peer.path("namespaceSelector")),
                                overlay + ": the DNS rule's namespaceSelector " + peer);
                        assertEquals(Map.of("k8s-app", "kube-dns"), labels(peer.path("podSelector")),
                                overlay + ": the DNS rule's podSelector selects other pods than kube-dns's: " + peer);
                    }
                }
            }
        });
    }

    @Test
    void noRenderedObjectReplacesASecretTheDeployStepsCreate() {
        assertTrue(steps.secrets().containsKey("idp-gateway-credentials"), "the deploy steps create no credentials Secret");
        Kustomize.renderAll().forEach((overlay, objects) -> {
            for (JsonNode secret : ofKind(objects, "Secret")) {
                String name = secret.path("metadata").path("name").asText();
                assertFalse(steps.secrets().containsKey(name), overlay + " renders the Secret " + name
                        + ", which the deploy steps create: kubectl apply -k would overwrite the operator's");
            }
        });
    }

    @Test
    void everySecretAndConfigMapThePodsReadExistsAfterTheDeploySteps() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            for (JsonNode deployment : ofKind(objects, "Deployment")) {
                JsonNode pod = deployment.path("spec").path("template").path("spec");
                String where = overlay + " " + deployment.path("metadata").path("name").asText();
                for (JsonNode volume : pod.path("volumes")) {
                    if (volume.has("secret") && !volume.path("secret").path("optional").asBoolean()) {
                        Set<String> keys = secretKeys(objects, volume.path("secret").path("secretName").asText(), where);
                        volume.path("secret").path("items").forEach(item -> assertTrue(keys.contains(item.path("key").asText()),
                                where + ": the Secret of volume " + volume.path("name").asText() + " has no key " + item.path("key")));
                    }
                    if (volume.has("configMap") && !volume.path("configMap").path("optional").asBoolean()) {
                        Set<String> keys = configMapKeys(objects, volume.path("configMap").path("name").asText(), where);
                        volume.path("configMap").path("items").forEach(item -> assertTrue(keys.contains(item.path("key").asText()),
                                where + ": the ConfigMap of volume " + volume.path("name").asText() + " has no key " + item.path("key")));
                    }
                }
                for (JsonNode reference : pod.findValues("secretKeyRef")) {
                    if (!reference.path("optional").asBoolean()) {
                        assertTrue(secretKeys(objects, reference.path("name").asText(), where).contains(reference.path("key").asText()),
                                where + ": no key " + reference.path("key") + " in the Secret " + reference.path("name"));
                    }
                }
            }
        });
    }

    @Test
    void noReplicasOnADeploymentAnAutoscalerScales() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            for (JsonNode autoscaler : ofKind(objects, "HorizontalPodAutoscaler")) {
                JsonNode target = autoscaler.path("spec").path("scaleTargetRef");
                JsonNode scaled = named(objects, target.path("kind").asText(), target.path("name").asText())
                        .orElseThrow(() -> new AssertionError(overlay + ": the autoscaler scales " + target + ", which is not rendered"));
                assertTrue(scaled.path("spec").path("replicas").isMissingNode(), overlay + ": " + target.path("name").asText()
                        + " sets replicas, which every kubectl apply resets while the autoscaler owns the count");
            }
        });
    }

    @Test
    void everySelectorSelectsThePodsItIsFor() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            JsonNode gateway = named(objects, "Deployment", GATEWAY).orElseThrow();
            Map<String, String> podLabels = labels(gateway.path("spec").path("template").path("metadata"));
            assertSelects(overlay + ": the Deployment's selector", gateway.path("spec").path("selector"), podLabels);
            gateway.path("spec").path("template").path("spec").path("topologySpreadConstraints").forEach(constraint ->
                    assertSelects(overlay + ": a topology spread constraint", constraint.path("labelSelector"), podLabels));
            JsonNode service = named(objects, "Service", GATEWAY).orElseThrow();
            assertSelects(overlay + ": the Service", service.path("spec").path("selector"), podLabels);
            for (JsonNode budget : ofKind(objects, "PodDisruptionBudget")) {
                assertSelects(overlay + ": the PodDisruptionBudget", budget.path("spec").path("selector"), podLabels);
            }
            for (JsonNode policy : ofKind(objects, "NetworkPolicy")) {
                assertSelects(overlay + ": the NetworkPolicy", policy.path("spec").path("podSelector"), podLabels);
            }
            for (JsonNode monitor : ofKind(objects, "ServiceMonitor")) {
                assertSelects(overlay + ": the ServiceMonitor", monitor.path("spec").path("selector"), labels(service.path("metadata")));
                Set<String> servicePorts = new HashSet<>(service.path("spec").path("ports").findValuesAsText("name"));
                monitor.path("spec").path("endpoints").forEach(endpoint -> assertTrue(servicePorts.contains(endpoint.path("port").asText()),
                        overlay + ": the ServiceMonitor scrapes port " + endpoint.path("port") + ", which the Service does not have"));
            }
        });
    }

    @Test
    void theNamespaceLabelsThePolicyNeedsAreSetByTheDeploySteps() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            for (JsonNode policy : ofKind(objects, "NetworkPolicy")) {
                for (JsonNode selector : policy.path("spec").findValues("namespaceSelector")) {
                    labels(selector).forEach((key, value) -> assertTrue(key.equals(NAMESPACE_NAME_LABEL) || value.equals(steps.namespaceLabels().get(key)),
                            overlay + ": the NetworkPolicy needs namespaces labelled " + key + "=" + value + ", which no deploy step sets"));
                }
            }
        });
    }

    @Test
    void thePortsAreWhatTheConfigurationServesAndTheImageExposes() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            JsonNode container = gatewayContainer(objects);
            GatewayConfig config = effectiveConfig(container);
            Map<String, Integer> ports = containerPorts(container);
            assertEquals(Map.of("http", config.http().port(), "management", config.management().port()), ports,
                    overlay + ": the container's ports are not the ones the gateway serves");
            assertEquals(new TreeSet<>(image.ports()), new TreeSet<>(ports.values()), overlay + ": the image exposes other ports");
            for (JsonNode port : named(objects, "Service", GATEWAY).orElseThrow().path("spec").path("ports")) {
                assertTrue(resolve(port.path("targetPort"), ports).isPresent(),
                        overlay + ": the Service's targetPort " + port.path("targetPort") + " is no port of the container");
            }
            for (JsonNode policy : ofKind(objects, "NetworkPolicy")) {
                for (JsonNode rule : policy.path("spec").path("ingress")) {
                    rule.path("ports").forEach(port -> assertTrue(resolve(port.path("port"), ports).isPresent(),
                            overlay + ": the NetworkPolicy admits port " + port.path("port") + ", which the container does not serve"));
                }
            }
        });
    }

    @Test
    void theProbesAskPathsTheManagementPortServesInPlainHttp() throws IOException {
        try (GatewayFixture gateway = GatewayFixture.start(Map.of())) {
            Kustomize.renderAll().forEach((overlay, objects) -> {
                JsonNode container = gatewayContainer(objects);
                int management = effectiveConfig(container).management().port();
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    JsonNode get = container.path(probe).path("httpGet");
                    assertEquals(Optional.of(management), resolve(get.path("port"), containerPorts(container)),
                            overlay + ": " + probe + " must ask the management port");
                    assertEquals("HTTP", get.path("scheme").asText("HTTP"), overlay + ": " + probe + ": the management port speaks plain HTTP");
                    URI uri = gateway.managementEndpoint().resolve(get.path("path").asText());
                    // HttpProbe gives up after a second, like a kubelet; a cold gateway on a busy machine may take longer at first.
                    Polling.await("an answer from " + uri, Duration.ofSeconds(30), () -> HttpProbe.status(uri) != -1);
                    assertNotEquals(404, HttpProbe.status(uri), overlay + ": " + probe + " " + get.path("path") + " is not served");
                }
            });
        }
    }

    @Test
    void everyFileTheGatewayReadsIsAKeyOfAReadOnlyMountedVolume() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            JsonNode container = gatewayContainer(objects);
            JsonNode pod = named(objects, "Deployment", GATEWAY).orElseThrow().path("spec").path("template").path("spec");
            Map<String, String> env = env(container);
            assertTrue(env.containsKey(ConfigLoader.CONFIG_FILE_VARIABLE) && env.containsKey("IDP_CREDENTIALS"),
                    overlay + ": the configuration and the credentials are not named");
            for (String variable : FILE_VARIABLES) {
                String file = env.get(variable);
                if (file == null) {
                    continue;
                }
                JsonNode mount = mountOf(container, file).orElseThrow(() ->
                        new AssertionError(overlay + ": " + variable + "=" + file + " is on no mounted volume (the root filesystem has no such file)"));
                assertTrue(mount.path("readOnly").asBoolean(), overlay + ": " + variable + "'s volume is mounted writable");
                JsonNode volume = volume(pod, mount.path("name").asText());
                String relative = Path.of(mount.path("mountPath").asText()).relativize(Path.of(file)).toString();
                String key = keyAt(volume, relative).orElseThrow(() ->
                        new AssertionError(overlay + ": " + variable + "=" + file + ": volume " + volume.path("name") + " puts nothing at " + relative));
                Set<String> keys = volume.has("secret")
                        ? secretKeys(objects, volume.path("secret").path("secretName").asText(), overlay)
                        : configMapKeys(objects, volume.path("configMap").path("name").asText(), overlay);
                assertTrue(keys.contains(key), overlay + ": " + variable + "=" + file + ": the volume's source has no key " + key
                        + " (it has " + keys + ")");
            }
        });
    }

    @Test
    void everyVolumeIsMountedAndEveryMountHasItsVolume() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            for (JsonNode deployment : ofKind(objects, "Deployment")) {
                JsonNode pod = deployment.path("spec").path("template").path("spec");
                Set<String> volumes = new TreeSet<>();
                pod.path("volumes").forEach(volume -> volumes.add(volume.path("name").asText()));
                Set<String> mounted = new TreeSet<>();
                pod.path("containers").forEach(container -> container.path("volumeMounts").forEach(mount -> mounted.add(mount.path("name").asText())));
                assertEquals(volumes, mounted, overlay + " " + deployment.path("metadata").path("name").asText() + ": volumes and mounts differ");
            }
        });
    }

    @Test
    void whatTheJvmWritesGoesToAWritableEmptyDirBesideAReadOnlyRoot() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            JsonNode container = gatewayContainer(objects);
            JsonNode pod = named(objects, "Deployment", GATEWAY).orElseThrow().path("spec").path("template").path("spec");
            assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), overlay + ": writable root filesystem");
            for (String flag : List.of("-Djava.io.tmpdir", "-XX:SharedArchiveFile")) {
                String path = image.flag(flag).orElseThrow(() -> new AssertionError("the image's entrypoint sets no " + flag));
                JsonNode mount = mountOf(container, path + (flag.endsWith("tmpdir") ? "/" : "")).orElseThrow(() ->
                        new AssertionError(overlay + ": " + flag + "=" + path + " is on the read-only root filesystem"));
                assertFalse(mount.path("readOnly").asBoolean(), overlay + ": " + flag + "=" + path + " is on a read-only mount");
                assertTrue(volume(pod, mount.path("name").asText()).has("emptyDir"), overlay + ": " + flag + "=" + path + " is on no emptyDir");
            }
        });
    }

    @Test
    void theContainerRunsTheImageAsItIsBuilt() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            JsonNode container = gatewayContainer(objects);
            JsonNode pod = named(objects, "Deployment", GATEWAY).orElseThrow().path("spec").path("template").path("spec");
            assertTrue(container.path("command").isMissingNode(), overlay + ": command replaces the image's entrypoint (its JVM flags)");
            assertEquals(image.args(), textList(container.path("args")), overlay + ": the container's arguments are not the image's");
            assertEquals(image.userId(), securityContext(pod, container, "runAsUser"), overlay + ": runAsUser is not the image's user");
            assertEquals(image.groupId(), securityContext(pod, container, "runAsGroup"), overlay + ": runAsGroup is not the image's group");
            String repository = image.image().substring(0, image.image().lastIndexOf(':'));
            String name = container.path("image").asText().replaceFirst(":[^:/]*$", "");
            assertTrue(name.equals(repository) || name.endsWith("/" + repository), overlay + ": the image " + container.path("image")
                    + " is not the one Jib builds (" + image.image() + ")");
        });
    }

    @Test
    void theDevOverlayRunsTheImageJibBuilds() {
        JsonNode container = gatewayContainer(Kustomize.render(Kustomize.K8S.resolve("overlays/dev")));
        assertEquals(image.image(), container.path("image").asText(), "the dev overlay's image is not what `mvn package jib:buildTar` builds");
    }

    @Test
    void theExternalRedisComponentLetsTheGatewayReachRedisByItsAddresses() {
        List<JsonNode> objects = Kustomize.render(Kustomize.EXTERNAL_REDIS_EXAMPLE);
        JsonNode policy = named(objects, "NetworkPolicy", GATEWAY).orElseThrow();
        boolean allowed = false;
        for (JsonNode rule : policy.path("spec").path("egress")) {
            allowed |= !rule.path("to").findValues("ipBlock").isEmpty()
                    && rule.path("ports").findValues("port").stream().anyMatch(port -> port.asInt() == 6379);
        }
        assertTrue(allowed, "with k8s/components/external-redis the NetworkPolicy allows no address outside the cluster on 6379");
    }

    /** {@code selector}: a label selector (matchLabels), or a Service's plain map of labels. */
    private static void assertSelects(String what, JsonNode selector, Map<String, String> labels) {
        assertFalse(selector.has("matchExpressions"), what + ": matchExpressions are not checked here");
        Map<String, String> wanted = toMap(selector.has("matchLabels") ? selector.path("matchLabels") : selector);
        assertFalse(wanted.isEmpty(), what + " selects every pod");
        assertTrue(labels.entrySet().containsAll(wanted.entrySet()), what + " selects " + wanted + ", not the pods labelled " + labels);
    }

    /** A label selector's matchLabels, or the labels of an object's metadata. */
    private static Map<String, String> labels(JsonNode holder) {
        return toMap(holder.has("matchLabels") ? holder.path("matchLabels") : holder.path("labels"));
    }

    private static Map<String, String> toMap(JsonNode object) {
        Map<String, String> map = new HashMap<>();
        object.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        return map;
    }

    private static Optional<JsonNode> named(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(object -> object.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    private static JsonNode gatewayContainer(List<JsonNode> objects) {
        JsonNode pod = named(objects, "Deployment", GATEWAY).orElseThrow().path("spec").path("template").path("spec");
        for (JsonNode container : pod.path("containers")) {
            if (container.path("name").asText().equals(GATEWAY)) {
                return container;
            }
        }
        throw new AssertionError("no container named " + GATEWAY);
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(variable -> {
            if (variable.has("value")) {
                env.put(variable.path("name").asText(), variable.path("value").asText());
            }
        });
        return env;
    }

    /** The configuration the container's gateway runs with: the ConfigMap is conf/gateway.yaml (ManifestTest), its variables override. */
    private static GatewayConfig effectiveConfig(JsonNode container) {
        Map<String, String> overrides = new HashMap<>();
        env(container).forEach((name, value) -> {
            if (name.equals("IDP_HTTP_PORT") || name.equals("IDP_MANAGEMENT_PORT")) {
                overrides.put(name, value);
            }
        });
        overrides.put("IDP_AUTH", "none");
        return new ConfigLoader().load(overrides);
    }

    private static Map<String, Integer> containerPorts(JsonNode container) {
        Map<String, Integer> ports = new HashMap<>();
        container.path("ports").forEach(port -> ports.put(port.path("name").asText(), port.path("containerPort").asInt()));
        return ports;
    }

    /** A port given by number or by the name of a container port. */
    private static Optional<Integer> resolve(JsonNode port, Map<String, Integer> ports) {
        if (port.isInt()) {
            return ports.containsValue(port.asInt()) ? Optional.of(port.asInt()) : Optional.empty();
        }
        return Optional.ofNullable(ports.get(port.asText()));
    }

    /** The mount whose directory holds {@code path}, the deepest if several do. */
    private static Optional<JsonNode> mountOf(JsonNode container, String path) {
        JsonNode found = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            String directory = mount.path("mountPath").asText();
            if (path.startsWith(directory + "/") && (found == null || directory.length() > found.path("mountPath").asText().length())) {
                found = mount;
            }
        }
        return Optional.ofNullable(found);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    /** The key of a ConfigMap or Secret volume that appears at {@code relative} in the mount. */
    private static Optional<String> keyAt(JsonNode volume, String relative) {
        JsonNode source = volume.has("secret") ? volume.path("secret") : volume.path("configMap");
        if (source.isMissingNode()) {
            return Optional.empty();
        }
        if (!source.has("items")) {
            return relative.contains("/") ? Optional.empty() : Optional.of(relative);
        }
        for (JsonNode item : source.path("items")) {
            if (item.path("path").asText().equals(relative)) {
                return Optional.of(item.path("key").asText());
            }
        }
        return Optional.empty();
    }

    /** The keys of a Secret the overlay renders or the deploy steps create; fails when neither does. */
    private Set<String> secretKeys(List<JsonNode> objects, String name, String where) {
        Optional<JsonNode> rendered = named(objects, "Secret", name);
        if (rendered.isPresent()) {
            Set<String> keys = new TreeSet<>();
            rendered.get().path("data").fieldNames().forEachRemaining(keys::add);
            rendered.get().path("stringData").fieldNames().forEachRemaining(keys::add);
            return keys;
        }
        Set<String> created = steps.secrets().get(name);
        if (created == null) {
            throw new AssertionError(where + " needs the Secret " + name + ", which neither the overlay renders nor a deploy step ("
                    + DeploySteps.DOCUMENTS + ") creates: the pod would never start");
        }
        return created;
    }

    private static Set<String> configMapKeys(List<JsonNode> objects, String name, String where) {
        JsonNode map = named(objects, "ConfigMap", name).orElseThrow(() -> new AssertionError(where + " needs the ConfigMap " + name + ", which is not rendered"));
        Set<String> keys = new TreeSet<>();
        map.path("data").fieldNames().forEachRemaining(keys::add);
        map.path("binaryData").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static long securityContext(JsonNode pod, JsonNode container, String field) {
        JsonNode own = container.path("securityContext").path(field);
        return own.isMissingNode() ? pod.path("securityContext").path(field).asLong(-1) : own.asLong();
    }

    private static List<String> textList(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
