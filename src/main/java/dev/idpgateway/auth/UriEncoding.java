package dev.idpgateway.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The URI encoding of SigV4: everything but the unreserved characters of RFC 3986 as %XX (UTF-8, upper-case hex). */
final class UriEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {
    }

    static boolean isUnreserved(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Appends {@code value[from, to)} encoded; a '%' already in the value is encoded again, as the SDKs do. */
    static void encode(CharSequence value, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (isUnreserved(c)) {
                out.append(c);
            } else if (c < 0x80) {
                appendEscaped(out, c);
            } else {
                int codePoint = Character.codePointAt(value, i);
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    appendEscaped(out, b & 0xff);
                }
                i += Character.charCount(codePoint) - 1;
            }
        }
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        encode(value, 0, value.length(), out);
        return out.toString();
    }

    /** Decodes %XX escapes as UTF-8; a '%' not followed by two hex digits stays literal. '+' is a plus. */
    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int low = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (c == '%' && high >= 0 && low >= 0) {
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                int codePoint = value.codePointAt(i);
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void appendEscaped(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }
}
