package dev.idpgateway.auth;

/**
 * An IAM policy pattern: {@code *} matches any run of characters (also none), {@code ?} exactly one.
 * Matched by a greedy scan with single-star backtracking, so no input can make it slow (no regex).
 */
final class WildcardPattern {
    private final String pattern;
    private final boolean ignoreCase;

    private WildcardPattern(String pattern, boolean ignoreCase) {
        this.pattern = pattern;
        this.ignoreCase = ignoreCase;
    }

    /** For actions: IAM compares action names case-insensitively. */
    static WildcardPattern ignoringCase(String pattern) {
        return new WildcardPattern(pattern, true);
    }

    /** For resource ARNs: IAM compares them case-sensitively. */
    static WildcardPattern caseSensitive(String pattern) {
        return new WildcardPattern(pattern, false);
    }

    boolean matches(String text) {
        int p = 0;
        int t = 0;
        int lastStar = -1;
        int textAtLastStar = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                lastStar = p++;
                textAtLastStar = t;
            } else if (p < pattern.length() && (pattern.charAt(p) == '?' || sameChar(pattern.charAt(p), text.charAt(t)))) {
                p++;
                t++;
            } else if (lastStar >= 0) {
                // Let the last star swallow one more character and retry from there.
                p = lastStar + 1;
                t = ++textAtLastStar;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private boolean sameChar(char a, char b) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
