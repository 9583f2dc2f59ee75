package dev.idpgateway.http;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.testing.Blocking;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AccessDeniedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each operation is its own IAM action and its own rate-limit category: a signed caller allowed
 * only {@code cognito-idp:AdminDisableUser} may not get, enable or sign out users, and the limit of
 * AdminGetUser does not spend the limit of the updates.
 */
class OperationPipelineTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Pool1");
    @TempDir
    static Path dir;
    private static GatewayFixture gateway;
    private static CognitoIdentityProviderClient accountService;
    private static CognitoIdentityProviderClient supportTool;

    @BeforeAll
    static void start() throws IOException {
        Path credentials = dir.resolve("credentials.yaml");
        try (InputStream sample = OperationPipelineTest.class.getResourceAsStream("/auth/credentials.yaml")) {
            Files.copy(sample, credentials);
        }
        // A refill period far longer than the test: the count, not the clock, decides.
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                rateLimits:
                  operations:
                    AdminGetUser:
                      default: 3/1h
                """);
        gateway = GatewayFixture.start(Map.of("IDP_AUTH", "sigv4", "IDP_CREDENTIALS", credentials.toString(),
                "IDP_CONFIG", config.toString()));
        accountService = gateway.client("AKIDACCOUNTSERVICE01", "account-service-secret-one");
        supportTool = gateway.client("AKIDSUPPORTTOOL00001", "support-tool-secret");
        Blocking.await(gateway.writer.write(POOL, UserRecord.builder("alice").build()));
    }

    @AfterAll
    static void stop() {
        accountService.close();
        supportTool.close();
        gateway.close();
    }

    @Test
    void eachOperationIsItsOwnIamAction() {
        Map<String, Executable> calls = Map.of(
                "AdminGetUser", () -> accountService.adminGetUser(b -> b.userPoolId(POOL.poolId()).username("alice")),
                "AdminEnableUser", () -> accountService.adminEnableUser(b -> b.userPoolId(POOL.poolId()).username("alice")),
                "AdminUserGlobalSignOut",
                () -> accountService.adminUserGlobalSignOut(b -> b.userPoolId(POOL.poolId()).username("alice")));
        calls.forEach((action, call) -> {
            AccessDeniedException e = assertThrows(AccessDeniedException.class, call);
            assertTrue(e.awsErrorDetails().errorMessage().contains("to perform: cognito-idp:" + action + " on resource: "),
                    e.awsErrorDetails().errorMessage());
        });
        assertEquals(0, events(POOL));
        // support-tool is allowed cognito-idp:Admin* on this pool.
        supportTool.adminUserGlobalSignOut(b -> b.userPoolId(POOL.poolId()).username("alice"));
        supportTool.adminEnableUser(b -> b.userPoolId(POOL.poolId()).username("alice"));
        assertEquals("alice", supportTool.adminGetUser(b -> b.userPoolId(POOL.poolId()).username("alice")).username());
        assertEquals(2, events(POOL), "sign-out and enable are audited");
    }

    private static long events(PoolRecord pool) {
        return gateway.redis.send(Command.XLEN, gateway.writer.keys().events(pool.poolId())).toLong();
    }

    @Test
    void adminGetUserIsThrottledOnItsOwn() {
        PoolRecord pool = PoolRecord.of("us-east-1_Pool2");
        Blocking.await(gateway.writer.write(pool, UserRecord.builder("bob").build()));
        for (int i = 0; i < 3; i++) {
            supportTool.adminGetUser(b -> b.userPoolId(pool.poolId()).username("bob"));
        }
        TooManyRequestsException e = assertThrows(TooManyRequestsException.class,
                () -> supportTool.adminGetUser(b -> b.userPoolId(pool.poolId()).username("bob")));
        assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
        // The updates have limits of their own.
        supportTool.adminEnableUser(b -> b.userPoolId(pool.poolId()).username("bob"));
        supportTool.adminUserGlobalSignOut(b -> b.userPoolId(pool.poolId()).username("bob"));
    }
}
