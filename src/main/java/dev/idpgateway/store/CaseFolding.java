package dev.idpgateway.store;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one rule (storage contract v1.1) by which a name becomes the spelling its keys use: the
 * gateway looks names up with it, and writers must key users and alias indexes with it.
 *
 * <ul>
 * <li>{@link #canonical}: Unicode NFC. The same text in two normal forms ({@code e\u0301} and
 * {@code é}) is the same name, case-sensitive or not.</li>
 * <li>{@link #fold}: for names that ignore case. NFKC first, so that compatibility variants
 * (fullwidth {@code ＫＡＴＥ}, the Kelvin sign, ligatures) are the plain letters they stand for;
 * then lower, upper and lower case in {@link Locale#ROOT}: upper-casing joins what only differs in
 * case even where lower-casing alone would not ({@code ß} and {@code SS}, dotless {@code ı} and
 * {@code I}), and the first lower-casing brings capital sharp s {@code ẞ} to {@code ß} first;
 * finally NFC, since case mapping may leave a decomposed sequence ({@code İ} becomes {@code i}
 * followed by U+0307, and so stays apart from {@code i}, as Unicode's own case folding keeps it).
 * Folding a folded name changes nothing (checked for every code point and for random sequences).</li>
 * </ul>
 *
 * Only the JDK's {@link Normalizer} and case mappings are used, so the rule follows the Unicode
 * version of the Java runtime (Java 17: Unicode 13).
 */
public final class CaseFolding {
    private CaseFolding() {
    }

    /** The name in Unicode normalization form C. */
    public static String canonical(String name) {
        return isAscii(name) ? name : Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    /** The name with compatibility variants and case differences folded away. */
    public static String fold(String name) {
        if (isAscii(name)) {
            // The common case, and the same result: ASCII is its own NFKC and NFC, and its case mappings stay ASCII.
            return name.toLowerCase(Locale.ROOT);
        }
        String compatible = Normalizer.normalize(name, Normalizer.Form.NFKC);
        return canonical(compatible.toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT));
    }

    private static boolean isAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
