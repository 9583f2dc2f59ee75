package dev.idpgateway.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.util.Map;

/**
 * The Kubernetes API of release 1.30 (fabric8's kubernetes-model 6.13, generated from it) and the Prometheus
 * Operator's monitoring.coreos.com/v1, strictly: an object is bound to its kind's model class, and a field the API does
 * not have (unknown, misspelt or in the wrong place) or a value of the wrong type fails, as the API server refuses it.
 * fabric8's classes keep unknown fields in a map of "additional properties" through an any-setter; this mapper
 * ignores any-setters, so that an unknown field is an error.
 */
final class KubernetesApi {
    /** apiVersion/kind to the model class; a kind not listed here has no schema and fails. */
    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            // The API server takes no number or boolean for a string field (an unquoted env value: 8080), nor the reverse.
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    private KubernetesApi() {
    }

    /** Binds {@code object} to its kind's schema; an AssertionError names the object and what the API would refuse. */
    static void validate(JsonNode object) {
        String kind = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        String name = kind + " " + object.path("metadata").path("name").asText();
        Class<?> model = KINDS.get(kind);
        if (model == null) {
            throw new AssertionError(name + ": no schema for this kind (Kubernetes 1.30, monitoring.coreos.com/v1)");
        }
        try {
            STRICT.treeToValue(object, model);
        } catch (Exception e) {
            throw new AssertionError(name + " is not valid: " + e.getMessage(), e);
        }
    }
}
