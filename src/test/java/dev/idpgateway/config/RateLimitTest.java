package dev.idpgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateLimitTest {
    @Test
    void parsesTheNotation() {
        assertEquals(new RateLimit(25, Duration.ofSeconds(1)), RateLimit.parse("25/1s"));
        assertEquals(new RateLimit(25, Duration.ofSeconds(1)), RateLimit.parse("25/s"));
        assertEquals(new RateLimit(600, Duration.ofMinutes(1)), RateLimit.parse(" 600 / 1m "));
        assertEquals(new RateLimit(5, Duration.ofMillis(100)), RateLimit.parse("5/100ms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "25", "25/", "/1s", "0/1s", "25/0s", "-1/1s", "25/1d", "many/1s"})
    void refusesAnythingElse(String text) {
        assertThrows(IllegalArgumentException.class, () -> RateLimit.parse(text));
    }
}
