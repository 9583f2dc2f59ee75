package dev.idpgateway.bench;

import dev.idpgateway.dev.Seeder;
import dev.idpgateway.http.GatewayFixture;
import io.gatling.app.Gatling$;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The load test users run still runs: a few seconds of the Gatling simulation, in process, against a
 * gateway with SigV4 on and pools made by the seeder. Gatling's exit status covers its assertions:
 * no request may fail. Its throughput and latency are not judged here (that is src/bench/run.sh's job).
 */
class AdminDisableUserSimulationSmokeTest {
    private static final String POOL = "us-east-1_LoadTest";
    private static final String THROTTLED_POOL = "us-east-1_Throttled";

    @Test
    void aShortRunPassesItsAssertions(@TempDir Path dir) throws IOException {
        Path credentials = dir.resolve("credentials.yaml");
        try (InputStream sample = getClass().getResourceAsStream("/auth/credentials.yaml")) {
            Files.copy(sample, credentials);
        }
        Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                rateLimits:
                  operations:
                    AdminDisableUser:
                      default: 100000/1s
                      pools:
                        us-east-1_Throttled: 1/1s
                """);
        try (GatewayFixture gateway = GatewayFixture.start(Map.of("IDP_AUTH", "sigv4",
                "IDP_CREDENTIALS", credentials.toString(), "IDP_CONFIG", config.toString()))) {
            Seeder.run(gateway.redisServer.url(), POOL, 200, 2);
            Seeder.run(gateway.redisServer.url(), THROTTLED_POOL, 1, 1);
            Map<String, String> settings = Map.ofEntries(
                    Map.entry("bench.endpoint", gateway.endpoint().toString()),
                    Map.entry("bench.pool", POOL), Map.entry("bench.users", "200"),
                    Map.entry("bench.throttledPool", THROTTLED_POOL),
                    Map.entry("bench.rate", "40"), Map.entry("bench.rampSeconds", "1"),
                    Map.entry("bench.durationSeconds", "3"),
                    // The sample credentials' principal allowed to disable users in us-east-1_* pools.
                    Map.entry("bench.accessKeyId", "AKIDACCOUNTSERVICE01"),
                    Map.entry("bench.secret", "account-service-secret-one"),
                    Map.entry("bench.p99Millis", "5000"), Map.entry("bench.maxFailedPercent", "0.001"));
            settings.forEach(System::setProperty);
            try {
                int status = Gatling$.MODULE$.fromArgs(new String[]{
                        "--simulation", AdminDisableUserSimulation.class.getName(),
                        "--results-folder", dir.resolve("gatling").toString(), "--no-reports"});
                assertEquals(0, status, "Gatling's exit status (2: an assertion failed)");
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }
        }
    }
}
