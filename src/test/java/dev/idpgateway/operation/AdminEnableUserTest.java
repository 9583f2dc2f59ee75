package dev.idpgateway.operation;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminEnableUserResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AdminEnableUser end to end through the AWS SDK for Java v2. Resolution and the modelled errors it
 * shares with the other operations are in {@link AdminUserResolutionTest}.
 */
class AdminEnableUserTest {
    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest();


    private static AdminEnableUserResponse enable(PoolRecord pool, String username) {
        return gateway.cognito().adminEnableUser(b -> b.userPoolId(pool.poolId()).username(username));
    }

    @Test
    void enablesADisabledUserAndStampsModifiedAt() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("alice").disabled().modifiedAt(1_000L).build(),
                UserRecord.builder("bob").disabled().build());

        AdminEnableUserResponse response = enable(pool, "alice");

        assertEquals(200, response.sdkHttpResponse().statusCode());
        Map<String, String> alice = gateway.user(pool, "alice");
        assertEquals("true", alice.get("enabled"));
        assertTrue(Math.abs(Long.parseLong(alice.get("modified_at")) - System.currentTimeMillis()) < 60_000);
        assertFalse(alice.containsKey("tokens_revoked_at"), "enabling revokes nothing");
        assertEquals("false", gateway.user(pool, "bob").get("enabled"));
    }

    @Test
    void enablingAfterDisablingLeavesTheTokensRevoked() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("carol").tokens(3).build());
        gateway.cognito().adminDisableUser(b -> b.userPoolId(pool.poolId()).username("carol"));
        String revokedAt = gateway.user(pool, "carol").get("tokens_revoked_at");

        enable(pool, "carol");

        Map<String, String> carol = gateway.user(pool, "carol");
        assertEquals("true", carol.get("enabled"));
        assertEquals(revokedAt, carol.get("tokens_revoked_at"));
        assertTrue(Long.parseLong(carol.get("modified_at")) >= Long.parseLong(revokedAt));
        assertEquals(Set.of(), gateway.tokenKeys(pool, "carol"));
        assertFalse(gateway.hasTokenIndex(pool, "carol"));
    }

    @Test
    void enablingAnEnabledUserSucceedsAgainAndKeepsItsTokens() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("dave").tokens(2).build());

        enable(pool, "dave");
        enable(pool, "dave");

        assertEquals("true", gateway.user(pool, "dave").get("enabled"));
        assertEquals(2, gateway.tokenKeys(pool, "dave").size());
        assertEquals(2, gateway.events(pool).size());
    }

    @Test
    void appendsAnAuditEvent() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("erin").sub("sub-erin").disabled().tokens(1).build());

        String requestId = enable(pool, "erin").responseMetadata().requestId();

        assertEquals(List.of(Map.of("operation", "AdminEnableUser", "pool", pool.poolId(), "user_key", "erin",
                "sub", "sub-erin", "tokens_revoked", "0", "request_id", requestId, "caller", "anonymous",
                "time", gateway.user(pool, "erin").get("modified_at"))), gateway.events(pool));
    }
}
