package dev.idpgateway.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** SHA-256 and HMAC-SHA256 with one reusable instance per thread (event loops verify many requests). */
final class Digests {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> newInstance(() -> MessageDigest.getInstance("SHA-256")));
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> newInstance(() -> Mac.getInstance("HmacSHA256")));

    private Digests() {
    }

    static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    static byte[] hmacSha256(byte[] key, String data) {
        return hmacSha256(key, data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmacSha256(byte[] key, byte[] data) {
        Mac mac = HMAC_SHA256.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 rejected its key", e);
        }
        return mac.doFinal(data);
    }

    /** Lower-case hex as ASCII bytes, the form SigV4 signatures are sent in. */
    static byte[] hexBytes(byte[] data) {
        byte[] hex = new byte[data.length * 2];
        for (int i = 0; i < data.length; i++) {
            hex[2 * i] = HEX[(data[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[data[i] & 0xf];
        }
        return hex;
    }

    static String hex(byte[] data) {
        return new String(hexBytes(data), StandardCharsets.US_ASCII);
    }

    private interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T newInstance(Factory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM lacks an algorithm every Java SE platform must have", e);
        }
    }
}
