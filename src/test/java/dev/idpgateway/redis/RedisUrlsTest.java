package dev.idpgateway.redis;

import io.vertx.redis.client.impl.types.ErrorType;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RedisUrlsTest {

    @Test
    void hidesThePasswordAndKeepsTheRest() {
        assertEquals("redis://user:****@cache.local:6380/2", RedisUrls.mask("redis://user:S3cret@cache.local:6380/2"));
        assertEquals("rediss://default:****@cache.local", RedisUrls.mask("rediss://default:S3cret@cache.local"));
        assertEquals("redis://:****@127.0.0.1:6379", RedisUrls.mask("redis://:S3cret@127.0.0.1:6379"));
        assertEquals("redis://127.0.0.1:6379", RedisUrls.mask("redis://127.0.0.1:6379"));
    }

    @Test
    void hidesUserInfoWithoutColonWhole() {
        assertEquals("redis://****@host:6379", RedisUrls.mask("redis://S3cret@host:6379"));
    }

    @Test
    void hidesThePasswordQueryParameter() {
        assertEquals("redis://host:6379/0?user=u&password=****&x=1", RedisUrls.mask("redis://host:6379/0?user=u&password=S3cret&x=1"));
    }

    @Test
    void masksEachOfSeveralUrls() {
        assertEquals("redis://a:****@h1:6379,rediss://:****@h2:6379", RedisUrls.mask("redis://a:pw1@h1:6379,rediss://:pw2@h2:6379"));
        assertEquals(List.of("redis://a:****@h1", "redis://h2"), RedisUrls.mask(List.of("redis://a:pw1@h1", "redis://h2")));
    }

    @Test
    void hidesMalformedPasswordsWhole() {
        // Unescaped '@', '/', ',' and whitespace in the password: nothing of it survives.
        assertEquals("redis://u:****@host:6379", RedisUrls.mask("redis://u:p@ss/w,rd x@host:6379"));
        assertEquals("redis//:****@host", RedisUrls.mask("redis//:S3cret@host"));
        assertEquals("****@host", RedisUrls.mask("S3cret@host"));
    }

    @Test
    void masksUrlsQuotedInText() {
        assertEquals("Failed obtaining connection to: redis://:****@10.0.0.1:7000 (then 'rediss://u:****@h2')",
                RedisUrls.maskIn("Failed obtaining connection to: redis://:S3cret@10.0.0.1:7000 (then 'rediss://u:pw@h2')"));
        assertEquals("Connection refused: localhost/127.0.0.1:6379", RedisUrls.maskIn("Connection refused: localhost/127.0.0.1:6379"));
        assertEquals("user@example.com", RedisUrls.maskIn("user@example.com"));
        assertNull(RedisUrls.maskIn(null));
    }

    @Test
    void keepsFailuresWithoutCredentialsAsTheyAre() {
        ErrorType noScript = ErrorType.create("NOSCRIPT No matching script");
        assertSame(noScript, RedisUrls.masked(noScript));

        Throwable masked = RedisUrls.masked(new ConnectException("cannot reach redis://:S3cret@host:6379"));
        assertFalse(masked.toString().contains("S3cret"), masked.toString());
        assertEquals("java.net.ConnectException: cannot reach redis://:****@host:6379", masked.getMessage());
        assertNull(masked.getCause());
    }
}
