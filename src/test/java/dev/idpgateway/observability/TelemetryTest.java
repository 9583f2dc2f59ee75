package dev.idpgateway.observability;

import dev.idpgateway.testing.Blocking;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelemetryTest {
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
