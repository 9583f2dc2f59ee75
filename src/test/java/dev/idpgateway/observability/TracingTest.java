package dev.idpgateway.observability;

import dev.idpgateway.testing.Polling;
import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.http.Gateway;
import dev.idpgateway.http.GatewayFixture;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A caller's traceparent continues through the gateway: one server span with children for each stage and Redis. */
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Test
    void requestSpanContinuesTheCallersTraceWithStageAndRedisChildren() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start(); Telemetry telemetry = new Telemetry(sdk)) {
            Vertx vertx = telemetry.newVertx();
            GatewayConfig config = new ConfigLoader().load(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", redis.url(),
                    "IDP_HTTP_PORT", "0", "IDP_MANAGEMENT_PORT", "0"));
            Gateway gateway = GatewayFixture.await(Gateway.start(vertx, config, telemetry));
            try {
                HttpProbe.send(HttpProbe.operation(URI.create("http://127.0.0.1:" + gateway.apiPort() + "/"),
                                "AdminDisableUser", "{\"UserPoolId\":\"us-east-1_Traced\",\"Username\":\"someone\"}")
                        .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01").build());

                Polling.await("the request's spans", Duration.ofSeconds(10),
                        () -> exporter.getFinishedSpanItems().stream().anyMatch(span -> span.getParentSpanId().equals(CALLER_SPAN)));
                List<SpanData> spans = exporter.getFinishedSpanItems().stream()
                        .filter(span -> span.getTraceId().equals(TRACE_ID)).toList();
                SpanData server = spans.stream().filter(span -> span.getParentSpanId().equals(CALLER_SPAN)).findFirst().orElseThrow();
                for (String stage : List.of("authenticate", "authorize", "throttle")) {
                    assertTrue(spans.stream().anyMatch(span -> span.getName().equals(stage)
                            && span.getParentSpanId().equals(server.getSpanId())), stage + " span under the request: " + spans);
                }
                assertTrue(spans.stream().anyMatch(span -> span.getParentSpanId().equals(server.getSpanId())
                        && span.getAttributes().toString().contains("redis")), "a Redis span under the request: " + spans);
                assertFalse(spans.toString().contains("someone"), "the username reached a span");
            } finally {
                GatewayFixture.await(gateway.stop());
                GatewayFixture.await(vertx.close());
            }
        }
    }
}
