package dev.idpgateway.redis;

import io.vertx.redis.client.impl.types.ErrorType;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The words for failures as the client reports them: exceptions, and the text Sentinel and Cluster flatten them into. */
class RedisFailureTest {
    @Test
    void aWrongPasswordNamesTheUser() {
        String words = RedisFailure.describe(ErrorType.create("WRONGPASS invalid username-password pair or user is disabled."), "idpgw");
        assertTrue(words.startsWith("authentication failed for user idpgw"), words);
        assertTrue(RedisFailure.describe(ErrorType.create("WRONGPASS x"), null).contains("user default"));
    }

    @Test
    void certificateProblemsReadTheSameWrappedOrFlattened() {
        SSLHandshakeException untrusted = new SSLHandshakeException(
                "PKIX path building failed: unable to find valid certification path to requested target");
        assertTrue(RedisFailure.describe(new RuntimeException("connect", untrusted), null).startsWith("certificate not trusted"));
        // Sentinel and Cluster: "Cannot connect to any of the provided endpoints" and each endpoint's failure, as text.
        String flattened = RedisFailure.describe(new IllegalStateException("Cannot connect to any of the provided endpoints\n"
                + "- javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching redis-0 found."), null);
        assertTrue(flattened.startsWith("host name mismatch"), flattened);
        assertTrue(flattened.contains("No subject alternative DNS name matching redis-0 found."), flattened);
    }

    @Test
    void otherFailuresKeepTheirOwnWordsOnOneLine() {
        assertEquals("cannot connect: java.net.ConnectException: Connection refused",
                RedisFailure.describe(new ConnectException("Connection refused"), null));
        String flattened = RedisFailure.describe(
                new IllegalStateException("Cannot connect to any of the provided endpoints\n- java.io.IOException: reset"), null);
        assertTrue(flattened.endsWith("Cannot connect to any of the provided endpoints; - java.io.IOException: reset"), flattened);
    }
}
