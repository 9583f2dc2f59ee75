package dev.idpgateway.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the process reports about itself: one Prometheus registry (the gateway's meters, Vert.x's
 * and the JVM's) and, when the {@code OTEL_*} environment asks for it, OpenTelemetry tracing. Both
 * are wired into Vert.x when it is built, so {@link #newVertx()} is how a gateway's Vert.x is made.
 */
public final class Telemetry implements AutoCloseable {
    /** The name spans of the gateway's own stages are recorded under. */
    private static final String INSTRUMENTATION_SCOPE = "dev.idpgateway";
    private static final String NETTY_JFR = "io.netty.jfr.enabled";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    /** Completes once the JVM's meters are bound, with how to close those that listen to the collectors. */
    private CompletableFuture<Runnable> jvmMetrics = CompletableFuture.completedFuture(() -> { });

    /** @param openTelemetry the tracing to use, or {@code null} for none (no tracer, no cost) */
    public Telemetry(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry == null ? null : openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
    }

    /** Metrics always; tracing only when the environment configures an exporter (see {@link TracingSetup}). */
    public static Telemetry fromEnvironment(Map<String, String> env) {
        return new Telemetry(TracingSetup.fromEnvironment(env));
    }

    /**
     * One event loop per core, not Vert.x's default of two: nothing here blocks a loop, and on 2 cores the
     * second pair only added thread switches and Redis connections (one lane each), measured at about a quarter
     * more event-loop CPU per request.
     */
    public static final int EVENT_LOOPS = Runtime.getRuntime().availableProcessors();

    public Vertx newVertx() {
        // Netty's buffer allocator registers Flight Recorder events on first use, about 0.1 s of start-up:
        // off unless asked for (-Dio.netty.jfr.enabled=true). Read once, when Netty first loads.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        // Netty's epoll transport where the platform has it (the jar carries it for Linux), else NIO.
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(EVENT_LOOPS).setMetricsOptions(new MicrometerMetricsOptions()
                .setEnabled(true)
                // HTTP_METHOD is left out: a caller can send any token as a method, and each would be a series.
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
                        Label.NAMESPACE))
                .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
                // The only TCP clients are the Redis clients: vertx_redis_* and vertx_pool_* name each of them,
                // vertx_net_client_* would sum them under one unlabelled gauge (and warn of its second registration).
                .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
                .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET));
        VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
        if (openTelemetry != null) {
            options.setTracingOptions(new OpenTelemetryOptions());
            builder.withTracer(new OpenTelemetryTracingFactory(openTelemetry));
        }
        Vertx vertx = builder.with(options).build();
        bindJvmMetrics();
        return vertx;
    }

    /**
     * The binders Vert.x binds with {@code setJvmMetricsEnabled}, so the same meters, bound on a thread of their own
     * while the gateway starts: their first-time class loading and JMX lookups took about 50 ms of Vert.x's build.
     * Only once Vert.x is built: Micrometer warns about a meter filter added after the first meter, and Vert.x adds
     * its filters while it is built.
     */
    private void bindJvmMetrics() {
        jvmMetrics = CompletableFuture.supplyAsync(() -> {
            JvmGcMetrics gc = new JvmGcMetrics();
            JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
            List.<MeterBinder>of(new ClassLoaderMetrics(), new JvmCompilationMetrics(), gc, heapPressure, new JvmInfoMetrics(),
                    new JvmMemoryMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics())
                    .forEach(binder -> binder.bindTo(registry));
            return () -> {
                gc.close();
                heapPressure.close();
            };
        }, task -> new Thread(task, "idp-gateway-jvm-metrics").start());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * Starts a span for one stage of the current request, a child of the request's span. Without
     * tracing it is the shared invalid span, whose methods do nothing: no allocation on the hot path.
     */
    public Span startStage(String name) {
        return tracer == null ? Span.getInvalid() : tracer.spanBuilder(name).startSpan();
    }

    public boolean tracing() {
        return tracer != null;
    }

    /** Sends the spans still buffered; call it after Vert.x has closed. */
    @Override
    public void close() {
        if (openTelemetry instanceof OpenTelemetrySdk sdk) {
            sdk.close();
        }
        jvmMetrics.join().run();
        registry.close();
    }
}
