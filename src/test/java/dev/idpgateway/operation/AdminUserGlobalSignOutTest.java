package dev.idpgateway.operation;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayUnderTest;
import dev.idpgateway.testing.Blocking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminUserGlobalSignOutResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AdminUserGlobalSignOut end to end through the AWS SDK for Java v2. Resolution and the modelled
 * errors it shares with the other operations are in {@link AdminUserResolutionTest}.
 */
class AdminUserGlobalSignOutTest {
    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest();


    private static AdminUserGlobalSignOutResponse signOut(PoolRecord pool, String username) {
        return gateway.cognito().adminUserGlobalSignOut(b -> b.userPoolId(pool.poolId()).username(username));
    }

    @Test
    void revokesEveryTokenAndLeavesTheUserEnabled() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("alice").modifiedAt(1_000L).tokens(3).build(),
                UserRecord.builder("bob").tokens(2).build());

        AdminUserGlobalSignOutResponse response = signOut(pool, "alice");

        assertEquals(200, response.sdkHttpResponse().statusCode());
        Map<String, String> alice = gateway.user(pool, "alice");
        assertEquals("true", alice.get("enabled"));
        assertEquals("1000", alice.get("modified_at"), "signing out does not modify the user");
        assertTrue(Math.abs(Long.parseLong(alice.get("tokens_revoked_at")) - System.currentTimeMillis()) < 60_000);
        assertEquals(Set.of(), gateway.tokenKeys(pool, "alice"));
        assertFalse(gateway.hasTokenIndex(pool, "alice"));
        // Nobody else is touched.
        assertEquals(2, gateway.tokenKeys(pool, "bob").size());
        assertFalse(gateway.user(pool, "bob").containsKey("tokens_revoked_at"));
    }

    @Test
    void aDisabledUserStaysDisabled() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("carol").disabled().tokens(1).build());
        signOut(pool, "carol");
        Map<String, String> carol = gateway.user(pool, "carol");
        assertEquals("false", carol.get("enabled"));
        assertTrue(carol.containsKey("tokens_revoked_at"));
        assertEquals(Set.of(), gateway.tokenKeys(pool, "carol"));
    }

    @Test
    void signingOutAgainSucceedsAndRevokesWhatWasIssuedSince() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("dave").tokens(2).build());
        signOut(pool, "dave");
        long firstRevocation = Long.parseLong(gateway.user(pool, "dave").get("tokens_revoked_at"));
        Blocking.await(gateway.fixture().writer.addToken(pool, "dave", "token-after-sign-out"));

        signOut(pool, "dave");

        assertTrue(Long.parseLong(gateway.user(pool, "dave").get("tokens_revoked_at")) >= firstRevocation);
        assertEquals(Set.of(), gateway.tokenKeys(pool, "dave"));
        List<Map<String, String>> events = gateway.events(pool);
        assertEquals(List.of("2", "1"), events.stream().map(event -> event.get("tokens_revoked")).toList());
    }

    @Test
    void appendsAnAuditEvent() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("erin").sub("sub-erin").tokens(2).build());

        String requestId = signOut(pool, "erin").responseMetadata().requestId();

        assertEquals(List.of(Map.of("operation", "AdminUserGlobalSignOut", "pool", pool.poolId(), "user_key", "erin",
                "sub", "sub-erin", "tokens_revoked", "2", "request_id", requestId, "caller", "anonymous",
                "time", gateway.user(pool, "erin").get("tokens_revoked_at"))), gateway.events(pool));
    }
}
