package dev.idpgateway.auth;

import dev.idpgateway.http.GatewayFixture;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.testing.Blocking;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One gateway serving two regions (IDP_REGION=us-east-1,eu-west-1), called with SDK clients signing for each. */
class MultiRegionTest {
    private static final String KEY = "AKIDMULTIREGION00001";
    private static final String SECRET = "multi-region-secret";
    private static final String EU_ONLY_KEY = "AKIDEUROPEONLY000001";
    private static final String EU_ONLY_SECRET = "europe-only-secret";
    private static final PoolRecord US_POOL = PoolRecord.of("us-east-1_Virginia");
    private static final PoolRecord EU_POOL = PoolRecord.of("eu-west-1_Ireland");
    /** Written to Redis, but of a region this gateway does not serve. */
    private static final PoolRecord OTHER_REGION_POOL = PoolRecord.of("ap-south-1_Mumbai");

    @TempDir
    static Path dir;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws IOException {
        Path credentials = dir.resolve("credentials.yaml");
        Files.writeString(credentials, """
                principals:
                  - name: migration
                    accessKeys: [{id: %s, secret: "%s"}]
                    policy: {Statement: {Effect: Allow, Action: "cognito-idp:*", Resource: "*"}}
                  - name: europe-only
                    accessKeys: [{id: %s, secret: "%s"}]
                    policy:
                      Statement:
                        Effect: Allow
                        Action: "cognito-idp:*"
                        Resource: "arn:aws:cognito-idp:eu-west-1:000000000000:userpool/*"
                """.formatted(KEY, SECRET, EU_ONLY_KEY, EU_ONLY_SECRET));
        gateway = GatewayFixture.start(Map.of("IDP_AUTH", "sigv4", "IDP_CREDENTIALS", credentials.toString(),
                "IDP_REGION", "us-east-1,eu-west-1"));
        for (PoolRecord pool : new PoolRecord[] {US_POOL, EU_POOL, OTHER_REGION_POOL}) {
            Blocking.await(gateway.writer.write(pool, UserRecord.builder("alice").build()));
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String getUser(String key, String secret, String signingRegion, PoolRecord pool) {
        try (CognitoIdentityProviderClient cognito = gateway.client(key, secret, signingRegion)) {
            return cognito.adminGetUser(b -> b.userPoolId(pool.poolId()).username("alice")).username();
        }
    }

    @Test
    void aRequestSignedForAnyServedRegionVerifies() {
        assertEquals("alice", getUser(KEY, SECRET, "us-east-1", US_POOL));
        assertEquals("alice", getUser(KEY, SECRET, "eu-west-1", US_POOL));
        assertEquals("alice", getUser(KEY, SECRET, "eu-west-1", EU_POOL));
        assertEquals("alice", getUser(KEY, SECRET, "us-east-1", EU_POOL));
    }

    @Test
    void aRequestSignedForAnotherRegionIsRefused() {
        CognitoIdentityProviderException refused = assertThrows(CognitoIdentityProviderException.class,
                () -> getUser(KEY, SECRET, "ap-south-1", US_POOL));
        assertEquals("InvalidSignatureException", refused.awsErrorDetails().errorCode());
        assertEquals("Credential should be scoped to a valid region, not 'ap-south-1'.",
                refused.awsErrorDetails().errorMessage());
    }

    @Test
    void aPoolOfARegionNotServedDoesNotExistHere() {
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> getUser(KEY, SECRET, "us-east-1", OTHER_REGION_POOL));
        assertEquals("User pool ap-south-1_Mumbai does not exist.", missing.awsErrorDetails().errorMessage());
    }

    @Test
    void thePoolArnCarriesTheRegionOfThePoolId() {
        assertEquals("alice", getUser(EU_ONLY_KEY, EU_ONLY_SECRET, "us-east-1", EU_POOL));
        CognitoIdentityProviderException denied = assertThrows(CognitoIdentityProviderException.class,
                () -> getUser(EU_ONLY_KEY, EU_ONLY_SECRET, "eu-west-1", US_POOL));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        assertEquals(true, denied.awsErrorDetails().errorMessage()
                .contains("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Virginia"));
    }
}
