package dev.idpgateway.dev;

import java.time.Duration;
import java.util.Locale;

/** What a {@link Seeder} run wrote and how fast. */
public record SeedResult(String poolId, long users, long tokens, Duration elapsed) {

    public double seconds() {
        return elapsed.toNanos() / 1e9;
    }

    public double usersPerSecond() {
        return users / Math.max(seconds(), 1e-9);
    }

    /** One summary line, e.g. for the seed command's output. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "seeded pool %s: %d users, %d tokens in %.1f s (%.0f users/s)",
                poolId, users, tokens, seconds(), usersPerSecond());
    }
}
