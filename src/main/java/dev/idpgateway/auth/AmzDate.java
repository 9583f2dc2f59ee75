package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The X-Amz-Date header ({@code yyyyMMdd'T'HHmmss'Z'}) and the 5-minute window around the server clock. */
final class AmzDate {
    static final long ALLOWED_SKEW_SECONDS = 5 * 60;
    private static final DateTimeFormatter BASIC_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private AmzDate() {
    }

    /**
     * @return seconds since the epoch
     * @throws AwsException IncompleteSignatureException when absent or not in ISO-8601 basic format
     */
    static long parseEpochSeconds(String amzDate) {
        if (amzDate == null) {
            throw ErrorCode.INCOMPLETE_SIGNATURE.exception(
                    "Authorization header requires existence of a 'X-Amz-Date' header.");
        }
        // Parsed by hand: a DateTimeFormatter parse allocates a lot for a per-request check.
        if (amzDate.length() != 16 || amzDate.charAt(8) != 'T' || amzDate.charAt(15) != 'Z') {
            throw malformed(amzDate);
        }
        try {
            return LocalDateTime.of(digits(amzDate, 0, 4), digits(amzDate, 4, 6), digits(amzDate, 6, 8),
                    digits(amzDate, 9, 11), digits(amzDate, 11, 13), digits(amzDate, 13, 15))
                    .toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException | NumberFormatException e) {
            throw malformed(amzDate);
        }
    }

    /** @throws AwsException InvalidSignatureException when {@code signedAt} is more than 5 minutes from {@code now} */
    static void checkWithinSkew(String amzDate, long signedAt, Instant now) {
        long nowSeconds = now.getEpochSecond();
        if (signedAt < nowSeconds - ALLOWED_SKEW_SECONDS) {
            throw ErrorCode.INVALID_SIGNATURE.exception("Signature expired: " + amzDate + " is now earlier than "
                    + format(nowSeconds - ALLOWED_SKEW_SECONDS) + " (" + format(nowSeconds) + " - 5 min.)");
        }
        if (signedAt > nowSeconds + ALLOWED_SKEW_SECONDS) {
            throw ErrorCode.INVALID_SIGNATURE.exception("Signature not yet current: " + amzDate + " is still later than "
                    + format(nowSeconds + ALLOWED_SKEW_SECONDS) + " (" + format(nowSeconds) + " + 5 min.)");
        }
    }

    private static String format(long epochSeconds) {
        return BASIC_FORMAT.format(Instant.ofEpochSecond(epochSeconds));
    }

    private static int digits(String value, int from, int to) {
        int result = 0;
        for (int i = from; i < to; i++) {
            int digit = value.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new NumberFormatException();
            }
            result = result * 10 + digit;
        }
        return result;
    }

    private static AwsException malformed(String amzDate) {
        return ErrorCode.INCOMPLETE_SIGNATURE.exception("Date must be in ISO-8601 'basic format'. Got '" + amzDate
                + "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }
}
