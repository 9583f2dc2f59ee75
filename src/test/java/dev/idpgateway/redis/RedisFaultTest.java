package dev.idpgateway.redis;

import io.vertx.redis.client.impl.types.ErrorType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which failures may pass by retrying, named as idp_redis_retries_total counts them. */
class RedisFaultTest {
    @Test
    void failoverRestartAndReshardingRepliesAreRetried() {
        assertEquals("readonly", reason(ErrorType.create("READONLY You can't write against a read only replica.")));
        assertEquals("loading", reason(ErrorType.create("LOADING Redis is loading the dataset in memory")));
        assertEquals("masterdown", reason(ErrorType.create("MASTERDOWN Link with MASTER is down")));
        assertEquals("clusterdown", reason(ErrorType.create("CLUSTERDOWN The cluster is down")));
        assertEquals("tryagain", reason(ErrorType.create("TRYAGAIN Multiple keys request during rehashing of slot")));
    }

    @Test
    void aReadOnlyReplicaInsideAScriptIsRetriedAsRedisBefore7ReportsIt() {
        // Redis 6.2's answer to a write script on a demoted primary.
        assertEquals("readonly", reason(ErrorType.create("ERR Error running script (call to f_085b): @user_script:1: "
                + "@user_script: 1: -READONLY You can't write against a read only replica.")));
    }

    @Test
    void connectionsAndTimeoutsAreRetried() {
        assertEquals("connection", reason(new IOException("Connection refused")));
        assertEquals("connection", reason(ErrorType.create("CONNECTION_CLOSED")));
        assertEquals("timeout", reason(new TimeoutException()));
    }

    @Test
    void whatWillNotPassIsAnsweredAtOnce() {
        assertNull(RedisFault.of(ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value")));
        assertNull(RedisFault.of(ErrorType.create("ERR Error running script (call to f_085b): @user_script:12: "
                + "user_script:12: attempt to compare nil with number")));
        assertNull(RedisFault.of(new IllegalStateException("a bug")));
    }

    private static String reason(Throwable failure) {
        return RedisFault.of(failure).reason();
    }
}
