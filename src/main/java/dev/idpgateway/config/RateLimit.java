package dev.idpgateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of requests per period, written {@code 25/1s} (or {@code 25/s}, {@code 600/1m}).
 */
public record RateLimit(int permits, Duration period) {
    private static final Pattern NOTATION = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{0,9})(ms|s|m|h)");

    public RateLimit {
        if (permits < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 permit per period");
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs a positive period");
        }
    }

    @JsonCreator
    public static RateLimit parse(String text) {
        Matcher m = NOTATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a rate such as 25/1s or 600/1m");
        }
        String amount = m.group(2).isEmpty() ? "1" : m.group(2);
        return new RateLimit(Integer.parseInt(m.group(1)), Durations.parse(amount + m.group(3)));
    }

    @Override
    public String toString() {
        return permits + "/" + period.toMillis() + "ms";
    }
}
