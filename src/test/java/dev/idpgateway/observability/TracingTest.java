package dev.idpgateway.observability;

import dev.idpgateway.testing.Polling;
import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.http.Gateway;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A caller's traceparent continues through the gateway: one server span with children for each stage and Redis.
 * The gateway runs on a Vertx of its own (the telemetry's, which traces); the test is one chain of futures on it.
 */
@ExtendWith(VertxExtension.class)
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final EmbeddedRedis redis = EmbeddedRedis.builder().start();
    private final Telemetry telemetry = new Telemetry(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build());
    private final Vertx vertx = telemetry.newVertx();

    @AfterEach
    void stop(VertxTestContext test) {
        vertx.close().onComplete(closed -> {
            telemetry.close();
            redis.close();
            test.completeNow();
        });
    }

    @Test
    void requestSpanContinuesTheCallersTraceWithStageAndRedisChildren(VertxTestContext test) {
        GatewayConfig config = new ConfigLoader().load(Map.of("IDP_AUTH", "none", "IDP_REDIS_URL", redis.url(),
                "IDP_HTTP_PORT", "0", "IDP_MANAGEMENT_PORT", "0"));
        Gateway.start(vertx, config, telemetry).compose(gateway -> vertx.createHttpClient()
                        .request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.apiPort())
                                .setURI("/")
                                .putHeader("Content-Type", "application/x-amz-json-1.1")
                                .putHeader("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDisableUser")
                                .putHeader("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"))
                        .compose(request -> request.send("{\"UserPoolId\":\"us-east-1_Traced\",\"Username\":\"someone\"}"))
                        .compose(response -> response.body())
                        .compose(answered -> Polling.until(vertx, "the request's spans", Duration.ofSeconds(10),
                                () -> Future.succeededFuture(exporter.getFinishedSpanItems().stream()
                                        .anyMatch(span -> span.getParentSpanId().equals(CALLER_SPAN)))))
                        .andThen(test.succeeding(traced -> test.verify(this::assertSpans)))
                        .eventually(gateway::stop))
                .onComplete(test.succeedingThenComplete());
    }

    private void assertSpans() {
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
    }
}
