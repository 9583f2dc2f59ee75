package dev.idpgateway.throttle;

import dev.idpgateway.http.GatewayFixture;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.testing.Blocking;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Operations that share a quota category are throttled together, per pool or for the whole account. */
class QuotaCategoryTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Shared");
    private static final PoolRecord FIRST = PoolRecord.of("us-east-1_AccountA");
    private static final PoolRecord SECOND = PoolRecord.of("us-east-1_AccountB");
    @TempDir
    static Path dir;
    private static GatewayFixture gateway;
    private static CognitoIdentityProviderClient cognito;

    @BeforeAll
    static void start() throws IOException {
        // A refill period far longer than the test: the count, not the clock, decides.
        gateway = GatewayFixture.startWithConfig(dir, """
                rateLimits:
                  categories:
                    userUpdate: {per: pool, default: 25/1h}
                    userRead: {per: account, default: 10/1h}
                """);
        cognito = gateway.client();
        for (PoolRecord pool : new PoolRecord[] {POOL, FIRST, SECOND}) {
            Blocking.await(gateway.writer.write(pool, UserRecord.builder("alice").build()));
        }
    }

    @AfterAll
    static void stop() {
        cognito.close();
        gateway.close();
    }

    private static boolean accepted(Runnable call) {
        try {
            call.run();
            return true;
        } catch (TooManyRequestsException e) {
            return false;
        }
    }

    @Test
    void disablesEnablesAndSignOutsOfAPoolShareTheUserUpdateLimit() {
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            accepted += accepted(() -> cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username("alice"))) ? 1 : 0;
            accepted += accepted(() -> cognito.adminEnableUser(b -> b.userPoolId(POOL.poolId()).username("alice"))) ? 1 : 0;
        }
        assertEquals(25, accepted);
        assertEquals(false, accepted(() -> cognito.adminUserGlobalSignOut(b -> b.userPoolId(POOL.poolId()).username("alice"))));
        // Another pool has a user-update limit of its own.
        assertEquals(true, accepted(() -> cognito.adminDisableUser(b -> b.userPoolId(FIRST.poolId()).username("alice"))));
    }

    @Test
    void anAccountWideCategoryThrottlesAcrossPools() {
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            for (PoolRecord pool : new PoolRecord[] {FIRST, SECOND}) {
                accepted += accepted(() -> cognito.adminGetUser(b -> b.userPoolId(pool.poolId()).username("alice"))) ? 1 : 0;
            }
        }
        assertEquals(10, accepted);
    }
}
