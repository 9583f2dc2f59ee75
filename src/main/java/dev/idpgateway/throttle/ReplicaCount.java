package dev.idpgateway.throttle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The replica count the limiters go by: the highest count heard within the last heartbeat expiry. A
 * higher count (smaller shares) holds at once; a lower one (larger shares) only once it has held
 * that long, because a Redis that lost the replicas set (a restart, a failover) answers low counts
 * until every live replica has renewed its entry, which each one does within the expiry. Not
 * thread-safe: one heartbeat at a time.
 */
final class ReplicaCount {
    private final long windowNanos;
    private final Deque<Heard> heard = new ArrayDeque<>();

    ReplicaCount(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** @return the count to go by after hearing {@code count} at {@code nowNanos} ({@link System#nanoTime()}) */
    int heard(int count, long nowNanos) {
        heard.addLast(new Heard(count, nowNanos));
        while (nowNanos - heard.peekFirst().atNanos() > windowNanos) {
            heard.removeFirst();
        }
        return heard.stream().mapToInt(Heard::count).max().orElseThrow();
    }

    private record Heard(int count, long atNanos) {
    }
}
