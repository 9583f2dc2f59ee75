package dev.idpgateway.redis;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the credentials of Redis URLs before they reach a log line, a health body or the console:
 * {@code redis://user:secret@host:6379/0} becomes {@code redis://user:****@host:6379/0}. A URL's
 * user info runs to its last {@code @}, so a password with an unescaped {@code @}, {@code /} or
 * {@code ,} is hidden whole; user info without a colon may be a password and is hidden whole; a
 * {@code password} query parameter is hidden too.
 */
public final class RedisUrls {
    static final String HIDDEN = "****";
    /** Where a URL starts: any scheme, since a message may quote more than Redis URLs. */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");
    /** Where a URL quoted in a message ends. */
    private static final Pattern END_IN_TEXT = Pattern.compile("[\\s\"'<>]");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&]password=)[^&#]*");

    private RedisUrls() {
    }

    /**
     * One configured URL (or several, comma-separated) with the credentials hidden. What does not
     * start with a scheme cannot be read as a URL: everything before its last {@code @} is hidden.
     */
    public static String mask(String url) {
        Matcher scheme = SCHEME.matcher(url);
        if (!scheme.find()) {
            return hideUserInfo(url, 0, url.length());
        }
        StringBuilder masked = new StringBuilder(hideUserInfo(url.substring(0, scheme.start()), 0, scheme.start()));
        appendUrls(url, scheme, masked, null);
        return masked.toString();
    }

    public static List<String> mask(List<String> urls) {
        return urls.stream().map(RedisUrls::mask).toList();
    }

    /** Free text (an error message of the Redis client, say) with the credentials of every URL in it hidden. */
    public static String maskIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher scheme = SCHEME.matcher(text);
        if (!scheme.find()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.substring(0, scheme.start()));
        appendUrls(text, scheme, masked, END_IN_TEXT.matcher(text));
        return masked.toString();
    }

    /** How to log or report a failure: its type and message, with the credentials of any URL hidden. */
    public static String describe(Throwable failure) {
        return maskIn(String.valueOf(failure));
    }

    /**
     * The failure itself when it shows no URL credentials, so that callers may still tell Redis errors
     * apart by type and message; otherwise a failure whose message is {@link #describe} of it, without
     * the original as cause (which would carry the credentials along into every log that prints causes).
     */
    public static Throwable masked(Throwable failure) {
        String description = String.valueOf(failure);
        String masked = maskIn(description);
        return masked.equals(description) ? failure : new MaskedFailure(masked, failure);
    }

    /** The failure {@link #masked} hid, so that the store can still tell what kind of failure it was. */
    static Throwable unmasked(Throwable failure) {
        return failure instanceof MaskedFailure masked ? masked.original : failure;
    }

    /** Appends every URL from the scheme {@code scheme} found on, each up to the next scheme or {@code end}. */
    private static void appendUrls(String text, Matcher scheme, StringBuilder masked, Matcher end) {
        int start = scheme.start();
        while (start < text.length()) {
            int authority = scheme.end();
            int next = scheme.find() ? scheme.start() : text.length();
            int urlEnd = end != null && end.find(authority) ? Math.min(end.start(), next) : next;
            masked.append(text, start, authority).append(hideUserInfo(text, authority, urlEnd)).append(text, urlEnd, next);
            start = next;
        }
    }

    /** {@code text[from, to)} is what follows a scheme: user info, host, path and query. */
    private static String hideUserInfo(String text, int from, int to) {
        String rest = text.substring(from, to);
        int at = rest.lastIndexOf('@');
        if (at > 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            rest = (colon < 0 ? HIDDEN : userInfo.substring(0, colon + 1) + HIDDEN) + rest.substring(at);
        }
        return PASSWORD_PARAMETER.matcher(rest).replaceAll("$1" + HIDDEN);
    }

    /** A failure whose message had credentials in it, with them hidden. */
    static final class MaskedFailure extends RuntimeException {
        /** Not the cause: logs print causes. */
        private final transient Throwable original;

        MaskedFailure(String message, Throwable original) {
            super(message, null, false, false);
            this.original = original;
        }

        /** The message already names the original type. */
        @Override
        public String toString() {
            return getMessage();
        }
    }
}
