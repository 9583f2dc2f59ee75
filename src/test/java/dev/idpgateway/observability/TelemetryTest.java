package dev.idpgateway.observability;

import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelemetryTest {
    /** One meter of each JVM binder: class loading, compilation, GC, heap pressure, info, memory, threads, CPU, uptime. */
    private static final List<String> JVM_METERS = List.of("jvm.classes.loaded", "jvm.compilation.time",
            "jvm.gc.memory.allocated", "jvm.gc.overhead", "jvm.info", "jvm.memory.used", "jvm.threads.live",
            "process.cpu.usage", "process.uptime");

    /** Bound beside the gateway's start rather than in Vert.x's build: still every one Vert.x bound. */
    @Test
    void theJvmsMetersAreBound() {
        try (Telemetry telemetry = new Telemetry(null)) {
            Vertx vertx = telemetry.newVertx();
            try {
                Polling.await("the JVM's meters", Duration.ofSeconds(30),
                        () -> JVM_METERS.stream().allMatch(name -> telemetry.registry().find(name).meter() != null));
            } finally {
                Blocking.await(vertx.close());
            }
        }
    }

    /** The jar carries Netty's epoll transport for Linux on x86-64 and ARM64: there the gateway must use it. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"})
    void gatewayVertxRunsOnTheNativeTransportOnLinux() {
        try (Telemetry telemetry = new Telemetry(null)) {
            Vertx vertx = telemetry.newVertx();
            try {
                assertTrue(vertx.isNativeTransportEnabled(), () -> "native transport unavailable: "
                        + vertx.unavailableNativeTransportCause());
            } finally {
                Blocking.await(vertx.close());
            }
        }
    }

    /** One event loop per core: the API deploys one request handler, and so one Redis lane, per loop. */
    @Test
    void gatewayVertxHasOneEventLoopPerCore() {
        try (Telemetry telemetry = new Telemetry(null)) {
            Vertx vertx = telemetry.newVertx();
            try {
                int loops = 0;
                for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
                    loops++;
                }
                assertEquals(Runtime.getRuntime().availableProcessors(), loops);
            } finally {
                Blocking.await(vertx.close());
            }
        }
    }
}
