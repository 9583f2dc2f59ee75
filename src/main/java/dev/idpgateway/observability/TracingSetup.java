package dev.idpgateway.observability;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.Map;

/**
 * Tracing from the standard OpenTelemetry environment ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_TRACES_EXPORTER}, {@code OTEL_SERVICE_NAME}, {@code OTEL_TRACES_SAMPLER}, ...), and
 * off unless an exporter is configured: the SDK's own default would export to localhost:4318
 * whether or not anything listens there.
 */
final class TracingSetup {
    private TracingSetup() {
    }

    /** @return the SDK, or {@code null} when the environment configures no trace exporter */
    static OpenTelemetrySdk fromEnvironment(Map<String, String> env) {
        if (!configured(env)) {
            return null;
        }
        return AutoConfiguredOpenTelemetrySdk.builder()
                // Defaults the OTEL_* variables may override: metrics go to Prometheus, logs to stdout.
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", "idp-gateway",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .build()
                .getOpenTelemetrySdk();
    }

    static boolean configured(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) {
            return false;
        }
        String exporter = env.get("OTEL_TRACES_EXPORTER");
        if (exporter != null && !exporter.isBlank()) {
            return !exporter.trim().equals("none");
        }
        return isSet(env, "OTEL_EXPORTER_OTLP_ENDPOINT") || isSet(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
