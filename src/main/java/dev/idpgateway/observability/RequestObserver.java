package dev.idpgateway.observability;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.protocol.ErrorCode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches every API request from receipt to response: the latency meters, the access log line and
 * the spans of the pipeline's stages. The access log is logger {@value #ACCESS_LOGGER} at INFO, one
 * line per request with key-value pairs; it names the principal, never the username or a secret.
 */
public final class RequestObserver {
    public static final String ACCESS_LOGGER = "dev.idpgateway.access";
    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);

    private final RequestMetrics metrics;
    private final Telemetry telemetry;

    /**
     * @param operations the operations served: the only values of the {@code operation} label
     * @param limits     the pools they name are the only values of the {@code pool} label
     */
    public RequestObserver(Telemetry telemetry, Collection<String> operations, GatewayConfig.RateLimits limits) {
        this.telemetry = telemetry;
        this.metrics = new RequestMetrics(telemetry.registry(), operations, configuredPools(limits));
    }

    private static Set<String> configuredPools(GatewayConfig.RateLimits limits) {
        return limits.operations().values().stream()
                .flatMap(operation -> operation.pools().keySet().stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    public ObservedRequest begin(String requestId) {
        return new ObservedRequest(this, requestId, System.nanoTime());
    }

    /** A span for one stage of the current request; {@code end()} it. Costs nothing without tracing. */
    public Span stage(String name) {
        return telemetry.startStage(name);
    }

    public void throttled(String operation, String poolId) {
        metrics.recordThrottled(operation, poolId);
    }

    void finished(ObservedRequest request, ErrorCode error, long nanos) {
        String operation = request.operation() == null ? RequestMetrics.UNKNOWN : request.operation();
        metrics.recordLatency(operation, error, nanos);
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        LoggingEventBuilder line = ACCESS.atInfo()
                .addKeyValue("request_id", request.requestId())
                .addKeyValue("operation", operation)
                .addKeyValue("pool", request.poolId())
                .addKeyValue("principal", request.principal())
                .addKeyValue("outcome", error == null ? RequestMetrics.SUCCESS : error.type())
                .addKeyValue("status", error == null ? 200 : error.status())
                .addKeyValue("latency_ms", nanos / 1_000_000.0);
        if (telemetry.tracing()) {
            SpanContext span = Span.current().getSpanContext();
            if (span.isValid()) {
                line = line.addKeyValue("trace_id", span.getTraceId());
            }
        }
        line.log("request");
    }
}
