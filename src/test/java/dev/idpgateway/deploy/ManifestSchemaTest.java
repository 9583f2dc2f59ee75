package dev.idpgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every object the overlays render is one the Kubernetes API of 1.30 (the oldest release docs/deploying.md supports)
 * accepts, field by field: an unknown or misplaced field fails, as it would at {@code kubectl apply} (or, worse, be
 * dropped without a word by an API server that prunes). The Prometheus Operator's objects against its
 * monitoring.coreos.com/v1 schema.
 */
class ManifestSchemaTest {
    @Test
    void everyRenderedObjectIsValidForTheKubernetesApi() {
        Kustomize.renderAll().forEach((overlay, objects) -> {
            assertTrue(!objects.isEmpty(), overlay + " renders nothing");
            objects.forEach(KubernetesApi::validate);
        });
    }

    @Test
    void aMisplacedFieldIsRefused() {
        // readOnlyRootFilesystem belongs to the container's securityContext, not the pod's.
        assertRefused(deployment -> podSpec(deployment).withObject("securityContext").put("readOnlyRootFilesystem", true));
        // preStop's sleep one level up, beside preStop.
        assertRefused(deployment -> container(deployment).withObject("lifecycle").putObject("sleep").put("seconds", 10));
        // A misspelt field.
        assertRefused(deployment -> ((ObjectNode) deployment.path("spec")).put("replica", 3));
        // A number where the API takes a string: an unquoted environment value.
        assertRefused(deployment -> container(deployment).withArray("env").addObject().put("name", "IDP_HTTP_PORT").put("value", 8080));
    }

    @Test
    void aMisplacedFieldOfAPrometheusOperatorObjectIsRefused() {
        JsonNode monitor = Kustomize.ofKind(Kustomize.render(Kustomize.K8S.resolve("overlays/production")), "ServiceMonitor").get(0);
        KubernetesApi.validate(monitor);
        ObjectNode broken = monitor.deepCopy();
        ((ObjectNode) broken.path("spec")).put("interval", "30s");
        assertThrows(AssertionError.class, () -> KubernetesApi.validate(broken), "interval belongs to an endpoint, not the spec");
    }

    @Test
    void aKindWithoutASchemaIsRefused() {
        JsonNode deployment = gatewayDeployment();
        ObjectNode unknown = deployment.deepCopy();
        unknown.put("apiVersion", "apps/v1beta1");
        assertThrows(AssertionError.class, () -> KubernetesApi.validate(unknown));
    }

    private static void assertRefused(Consumer<ObjectNode> breakIt) {
        JsonNode deployment = gatewayDeployment();
        KubernetesApi.validate(deployment);
        ObjectNode broken = deployment.deepCopy();
        breakIt.accept(broken);
        assertThrows(AssertionError.class, () -> KubernetesApi.validate(broken), "accepted: " + broken);
    }

    private static JsonNode gatewayDeployment() {
        List<JsonNode> objects = Kustomize.render(Kustomize.K8S.resolve("overlays/production"));
        return Kustomize.ofKind(objects, "Deployment").get(0);
    }

    private static ObjectNode podSpec(ObjectNode deployment) {
        return (ObjectNode) deployment.path("spec").path("template").path("spec");
    }

    private static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) podSpec(deployment).path("containers").get(0);
    }
}
