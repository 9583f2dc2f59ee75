package dev.idpgateway.operation;

import dev.idpgateway.dev.IdentityWriter;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many parallel disables of users who are receiving new tokens at the same time. Afterwards no
 * disabled user may hold a token issued before its {@code tokens_revoked_at}: the revocation is atomic.
 */
class ConcurrentDisableTest {
    private static final int USERS = 300;
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Busy");
    private static final KeySchema KEYS = new KeySchema("idp");

    @Test
    void noDisabledUserKeepsATokenIssuedBeforeItsRevocation() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(); CognitoIdentityProviderClient cognito = gateway.client()) {
            List<UserRecord> users = IntStream.range(0, USERS)
                    .mapToObj(i -> UserRecord.builder("user" + i).tokens(2).build()).toList();
            Blocking.await(gateway.writer.write(POOL, users));

            AtomicBoolean issuing = new AtomicBoolean(true);
            AtomicLong issued = new AtomicLong();
            Future<Void> issuer = issueTokens(gateway.writer, issuing, issued);

            // The disables start once tokens are being issued, so that the two overlap however fast the gateway is.
            Polling.await("the token issuer is running", Duration.ofSeconds(30), () -> issued.get() > 0);
            long issuedBefore = issued.get();
            ExecutorService callers = Executors.newFixedThreadPool(16);
            List<java.util.concurrent.Future<?>> disables = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                String username = "user" + i;
                disables.add(callers.submit(() -> cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username(username))));
            }
            for (java.util.concurrent.Future<?> disable : disables) {
                disable.get(60, TimeUnit.SECONDS);
            }
            callers.shutdown();
            long issuedDuring = issued.get() - issuedBefore;
            issuing.set(false);
            Blocking.await(issuer);
            assertTrue(issuedDuring > 0, "no token was issued while the disables ran");

            for (int i = 0; i < USERS; i++) {
                String userKey = "user" + i;
                Map<String, String> user = gateway.redis.hash(KEYS.user(POOL.poolId(), userKey));
                assertEquals("false", user.get("enabled"), userKey);
                long revokedAt = Long.parseLong(user.get("tokens_revoked_at"));
                for (String tokenKey : gateway.redis.keys(KEYS.tokenPrefix(POOL.poolId(), userKey) + "*")) {
                    String issuedAt = gateway.redis.get(tokenKey);
                    assertTrue(Long.parseLong(issuedAt) >= revokedAt,
                            userKey + " keeps " + tokenKey + " issued at " + issuedAt + ", revoked at " + revokedAt);
                }
            }
        }
    }

    /** Keeps 8 token issues in flight against random users until told to stop. */
    private static Future<Void> issueTokens(IdentityWriter writer, AtomicBoolean issuing, AtomicLong issued) {
        List<Future<Void>> lanes = IntStream.range(0, 8).mapToObj(lane -> {
            Promise<Void> laneDone = Promise.promise();
            issueNext(writer, issuing, issued, laneDone);
            return laneDone.future();
        }).toList();
        return Future.all(lanes).mapEmpty();
    }

    private static void issueNext(IdentityWriter writer, AtomicBoolean issuing, AtomicLong issued, Promise<Void> laneDone) {
        if (!issuing.get()) {
            laneDone.complete();
            return;
        }
        String username = "user" + ThreadLocalRandom.current().nextInt(USERS);
        writer.addToken(POOL, username, UUID.randomUUID().toString()).onComplete(done -> {
            issued.incrementAndGet();
            issueNext(writer, issuing, issued, laneDone);
        }, laneDone::fail);
    }
}
