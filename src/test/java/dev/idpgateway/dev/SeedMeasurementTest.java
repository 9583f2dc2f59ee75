package dev.idpgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a unit test: runs only when asked, e.g.
 * {@code mvn -B test -Dtest=SeedMeasurementTest -Didp.seed.users=1000000 -Didp.seed.tokens=3}.
 * Goes through {@link Seeder#run}, the path the seed command takes.
 */
@EnabledIfSystemProperty(named = "idp.seed.users", matches = "\\d+")
class SeedMeasurementTest {

    @Test
    void measureSeeding() {
        int users = Integer.getInteger("idp.seed.users");
        int tokens = Integer.getInteger("idp.seed.tokens", 3);
        try (EmbeddedRedis server = EmbeddedRedis.builder().start()) {
            SeedResult result = Seeder.run(server.url(), "us-east-1_Load1", users, tokens);
            System.out.println(result);
            assertEquals(users, result.users());
        }
    }
}
