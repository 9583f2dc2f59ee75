package dev.idpgateway.throttle;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplicaCountTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void aHigherCountHoldsAtOnceALowerOneOnlyOnceItHasHeldForTheWindow() {
        ReplicaCount count = new ReplicaCount(Duration.ofSeconds(5));
        assertEquals(3, count.heard(3, 0));
        assertEquals(4, count.heard(4, SECOND));
        // A Redis that lost the set answers 1, then 2, while the replicas renew their entries.
        assertEquals(4, count.heard(1, 2 * SECOND));
        assertEquals(4, count.heard(2, 3 * SECOND));
        assertEquals(4, count.heard(2, 6 * SECOND));
        assertEquals(2, count.heard(2, 7 * SECOND));
    }
}
