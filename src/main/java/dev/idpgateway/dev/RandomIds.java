package dev.idpgateway.dev;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version-4 UUID strings for subs and token ids of test and demo data. ThreadLocalRandom rather
 * than UUID.randomUUID's SecureRandom: these ids guard nothing, and the seeder makes millions.
 */
final class RandomIds {
    private RandomIds() {
    }

    static String uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (random.nextLong() & ~0xF000L) | 0x4000L;
        long leastSignificant = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
