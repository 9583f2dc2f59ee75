package dev.idpgateway.protocol;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids in the form the AWS services use: random (version 4) UUIDs. */
public final class RequestIds {
    private RequestIds() {
    }

    /** A fresh id. Uniqueness, not secrecy, is needed here, so no SecureRandom on the event loop. */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000_0000_0000_0000L)) | 0x8000_0000_0000_0000L;
        return new UUID(most, least).toString();
    }
}
