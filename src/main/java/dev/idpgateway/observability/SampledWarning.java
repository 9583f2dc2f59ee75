package dev.idpgateway.observability;

import org.slf4j.Logger;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning that is logged at most once per interval, with how many like it were left out since the
 * last one: during an outage every request fails alike, and one line a second says as much as thousands.
 */
public final class SampledWarning {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAtNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger suppressed = new AtomicInteger();

    public SampledWarning(Logger log, long interval, TimeUnit unit) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
    }

    /** Logs {@code format} with {@code arguments}, followed by the count left out, unless one was logged within the interval. */
    public void warn(String format, Object... arguments) {
        long now = System.nanoTime();
        long nextAt = nextAtNanos.get();
        if ((nextAt != Long.MIN_VALUE && now - nextAt < 0) || !nextAtNanos.compareAndSet(nextAt, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        int left = suppressed.getAndSet(0);
        if (left == 0) {
            log.warn(format, arguments);
        } else if (log.isWarnEnabled()) {
            log.warn(format + " ({} similar left out since the last)", append(arguments, left));
        }
    }

    private static Object[] append(Object[] arguments, Object last) {
        Object[] all = Arrays.copyOf(arguments, arguments.length + 1);
        all[arguments.length] = last;
        return all;
    }
}
