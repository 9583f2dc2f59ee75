package dev.idpgateway.redis;

import io.vertx.redis.client.impl.types.ErrorType;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Why connecting to Redis failed, in words an operator can act on ("authentication failed for user X",
 * "certificate not trusted", "host name mismatch") instead of a chain of exceptions. The Redis client
 * reports some failures as exceptions and flattens others (Sentinel and Cluster: "Cannot connect to any of
 * the provided endpoints") into text, so both are read. Never carries the password: neither Redis's replies
 * nor the client's exceptions contain it, and the configured URLs no longer hold user info.
 */
public final class RedisFailure {
    private RedisFailure() {
    }

    /** @param user the configured ACL user, null for Redis's {@code default} user */
    public static String describe(Throwable failure, String user) {
        String text = chain(failure);
        String lower = text.toLowerCase(Locale.ROOT);
        String who = user == null ? "default" : user;
        if (lower.contains("wrongpass")) {
            return "authentication failed for user " + who + ": wrong password, or no such user, or the user is disabled";
        }
        if (lower.contains("noauth")) {
            return "authentication required: Redis wants a password (redis.password / IDP_REDIS_PASSWORD)";
        }
        if (lower.contains("noperm")) {
            return "user " + who + " lacks a permission the gateway needs (it needs ~* &* +@all or at least the commands "
                    + "of its scripts): " + oneLine(redisError(failure, text));
        }
        if (has(failure, CertificateExpiredException.class) || lower.contains("certificateexpiredexception")) {
            return "certificate expired: " + oneLine(text);
        }
        if (lower.contains("no name matching") || lower.contains("no subject alternative")) {
            return "host name mismatch: the Redis server's certificate does not name the host connected to ("
                    + tlsDetail(text) + "); fix the URL or the certificate, or set redis.tls.verifyHostname: false";
        }
        if (has(failure, CertPathValidatorException.class) || lower.contains("pkix path")
                || lower.contains("unable to find valid certification path")) {
            return "certificate not trusted: the Redis server's certificate does not chain to redis.tls.ca "
                    + "(or, without it, to the JVM's trust store)";
        }
        if (lower.contains("certificate_required") || lower.contains("bad_certificate")
                || lower.contains("certificate_unknown") && !has(failure, CertificateException.class)) {
            return "the Redis server refused the client certificate (mutual TLS: set redis.tls.certificate and "
                    + "redis.tls.key to a certificate its CA trusts): " + tlsDetail(text);
        }
        if (lower.contains("not an ssl/tls record") || lower.contains("unrecognized ssl message")) {
            return "TLS handshake failed: the endpoint does not speak TLS (use redis:// for a plain port)";
        }
        if (has(failure, SSLException.class) || lower.contains("sslhandshakeexception")) {
            return "TLS handshake failed: " + tlsDetail(text);
        }
        if (has(failure, TimeoutException.class) || lower.contains("timeoutexception")) {
            return "no answer from Redis within redis.commandTimeout (connecting, TLS handshake and reply)";
        }
        if (has(failure, ConnectException.class)) {
            return "cannot connect: " + oneLine(text);
        }
        return oneLine(text);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Every message of the cause chain, so that text-only reports and wrapped exceptions read alike. */
    private static String chain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(cause instanceof ErrorType ? cause.getMessage() : cause.toString());
        }
        return text.toString();
    }

    private static String redisError(Throwable failure, String fallback) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ErrorType) {
                return cause.getMessage();
            }
        }
        return fallback;
    }

    /** The innermost TLS message, without the exception class names around it. */
    private static String tlsDetail(String text) {
        int innermostStart = text.lastIndexOf(" <- ");
        String innermost = innermostStart < 0 ? text : text.substring(innermostStart + 4);
        int colon = innermost.indexOf(": ");
        return oneLine(colon < 0 ? innermost : innermost.substring(colon + 2));
    }

    /** Sentinel and Cluster list the failure of each endpoint on a line of its own. */
    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\n\\s*", "; ");
    }
}
