package dev.idpgateway.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code seed}: {@code --pool <id> [--users N] [--tokens-per-user M] [--redis-url URL]}. Without
 * {@code --redis-url} (null here) the gateway's own Redis settings apply, IDP_REDIS_URL included.
 */
record SeedOptions(String redisUrl, String poolId, int users, int tokensPerUser) {
    private static final Set<String> NAMES = Set.of("--redis-url", "--pool", "--users", "--tokens-per-user");

    static SeedOptions parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!NAMES.contains(name) || i + 1 >= args.size()) {
                throw new UsageException("seed: unknown option or missing value: " + name);
            }
            values.put(name, args.get(i + 1));
        }
        String poolId = values.get("--pool");
        if (poolId == null || !poolId.matches("[\\w-]+_[0-9a-zA-Z]+") || poolId.length() > 55) {
            throw new UsageException("seed: --pool needs a user pool id such as us-east-1_LoadTest");
        }
        return new SeedOptions(values.get("--redis-url"), poolId,
                count(values, "--users", 1000, 1), count(values, "--tokens-per-user", 3, 0));
    }

    private static int count(Map<String, String> values, String name, int fallback, int minimum) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int count = Integer.parseInt(text);
            if (count >= minimum) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("seed: " + name + " needs a whole number of at least " + minimum + ", got '" + text + "'");
    }
}
