package dev.idpgateway.operation;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayUnderTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AdminGetUser end to end through the AWS SDK for Java v2: the model's output shape, read-only.
 * Resolution and the modelled errors it shares with the other operations are in
 * {@link AdminUserResolutionTest}.
 */
class AdminGetUserTest {
    private static final long CREATED = 1_700_000_000_123L;
    private static final long MODIFIED = 1_700_000_500_456L;
    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest();


    private static AdminGetUserResponse get(PoolRecord pool, String username) {
        return gateway.cognito().adminGetUser(b -> b.userPoolId(pool.poolId()).username(username));
    }

    private static AttributeType attribute(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }

    @Test
    void answersTheModelsOutput() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("alice").sub("sub-alice").email("alice@example.com")
                .phoneNumber("+15555550100").preferredUsername("ally").status("FORCE_CHANGE_PASSWORD")
                .createdAt(CREATED).modifiedAt(MODIFIED).tokens(1).build());

        AdminGetUserResponse user = get(pool, "alice");

        assertEquals(200, user.sdkHttpResponse().statusCode());
        assertEquals("alice", user.username());
        assertEquals(List.of(attribute("sub", "sub-alice"), attribute("email", "alice@example.com"),
                attribute("email_verified", "true"), attribute("phone_number", "+15555550100"),
                attribute("phone_number_verified", "true"), attribute("preferred_username", "ally")), user.userAttributes());
        assertTrue(user.enabled());
        assertEquals(UserStatusType.FORCE_CHANGE_PASSWORD, user.userStatus());
        assertEquals(Instant.ofEpochMilli(CREATED), user.userCreateDate());
        assertEquals(Instant.ofEpochMilli(MODIFIED), user.userLastModifiedDate());
        assertTrue(user.hasMfaOptions());
        assertEquals(List.of(), user.mfaOptions());
    }

    @Test
    void answersEveryAttributeTheUserWasWrittenWithWhateverNameFoundTheUser() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("frank").sub("sub-frank").email("frank@example.com")
                .phoneNumber("+15555550101").attribute("phone_number_verified", "false")
                .attribute("name", "Frank Baum").attribute("given_name", "Frank").attribute("family_name", "Baum")
                .attribute("locale", "en-US").attribute("updated_at", "1700000000")
                .attribute("custom:tenant", "oz").attribute("dev:custom:flag", "on").attribute("custom:Plan", "gold")
                .build());
        // Writers other than this gateway's fixtures may leave fields the contract does not know: attributes too.
        gateway.redis(Command.HSET, gateway.keys().user(pool.poolId(), "frank"), "zoneinfo", "America/Chicago");

        List<AttributeType> expected = List.of(attribute("sub", "sub-frank"), attribute("email", "frank@example.com"),
                attribute("email_verified", "true"), attribute("family_name", "Baum"), attribute("given_name", "Frank"),
                attribute("locale", "en-US"), attribute("name", "Frank Baum"), attribute("phone_number", "+15555550101"),
                attribute("phone_number_verified", "false"), attribute("updated_at", "1700000000"),
                attribute("zoneinfo", "America/Chicago"),
                attribute("custom:Plan", "gold"), attribute("custom:tenant", "oz"), attribute("dev:custom:flag", "on"));
        assertEquals(expected, get(pool, "frank").userAttributes());
        assertEquals(expected, get(pool, "frank@example.com").userAttributes());
        assertEquals(expected, get(pool, "sub-frank").userAttributes());
    }

    @Test
    void anUnverifiedAliasNamesNobody() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("gina").email("gina@example.com").attribute("email_verified", "false").build());

        assertEquals("gina", get(pool, "gina").username());
        assertThrows(UserNotFoundException.class, () -> get(pool, "gina@example.com"));
    }

    @Test
    void aStatusOutsideTheModelIsAnsweredAsUnknown() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("hank").status("LOCKED_BY_LEGACY_IMPORT").build());
        gateway.write(pool, UserRecord.builder("iris").status("confirmed").build());
        gateway.write(pool, UserRecord.builder("jill").status("EXTERNAL_PROVIDER").build());

        assertEquals(UserStatusType.UNKNOWN, get(pool, "hank").userStatus());
        assertEquals("UNKNOWN", get(pool, "hank").userStatusAsString());
        assertEquals("UNKNOWN", get(pool, "iris").userStatusAsString());
        assertEquals(UserStatusType.EXTERNAL_PROVIDER, get(pool, "jill").userStatus());
    }

    @Test
    void enabledIsFalseForFalseInAnyCaseAndForZero() {
        PoolRecord pool = gateway.newPool();
        Map<String, Boolean> expected = Map.of("FALSE", false, "False", false, "0", false, "false", false,
                "true", true, "1", true, "TRUE", true, "yes", true);
        expected.forEach((stored, enabled) -> {
            String username = "user-" + stored;
            gateway.write(pool, UserRecord.builder(username).build());
            gateway.redis(Command.HSET, gateway.keys().user(pool.poolId(), username), "enabled", stored);
            assertEquals(enabled, get(pool, username).enabled(), stored);
        });
    }

    @Test
    void theWireCarriesTimestampsAsEpochSeconds() throws IOException, InterruptedException {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("bob").sub("sub-bob").createdAt(CREATED).modifiedAt(MODIFIED).build());

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.fixture().endpoint())
                .header("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminGetUser")
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("UserPoolId", pool.poolId()).put("Username", "bob").encode()))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("application/x-amz-json-1.1", response.headers().firstValue("Content-Type").orElseThrow());
        JsonObject body = new JsonObject(response.body());
        assertEquals(Set.of("Username", "UserAttributes", "UserCreateDate", "UserLastModifiedDate", "Enabled",
                "UserStatus", "MFAOptions"), body.fieldNames());
        assertTrue(response.body().contains("\"UserCreateDate\":1700000000.123"), response.body());
        assertEquals(new BigDecimal("1700000500.456"), new BigDecimal(body.getValue("UserLastModifiedDate").toString()));
        assertEquals(new JsonArray().add(new JsonObject().put("Name", "sub").put("Value", "sub-bob")),
                body.getJsonArray("UserAttributes"));
        assertEquals(true, body.getBoolean("Enabled"));
        assertEquals("CONFIRMED", body.getString("UserStatus"));
        assertEquals(new JsonArray(), body.getJsonArray("MFAOptions"));
    }

    @Test
    void afterAdminDisableUserTheUserIsDisabledAndModified() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("carol").createdAt(CREATED).modifiedAt(MODIFIED).tokens(2).build());

        gateway.cognito().adminDisableUser(b -> b.userPoolId(pool.poolId()).username("carol"));
        AdminGetUserResponse disabled = get(pool, "carol");

        assertFalse(disabled.enabled());
        assertEquals(Instant.ofEpochMilli(CREATED), disabled.userCreateDate());
        assertEquals(Instant.ofEpochMilli(Long.parseLong(gateway.user(pool, "carol").get("modified_at"))),
                disabled.userLastModifiedDate());
        assertTrue(disabled.userLastModifiedDate().isAfter(Instant.ofEpochMilli(MODIFIED)));

        gateway.cognito().adminEnableUser(b -> b.userPoolId(pool.poolId()).username("carol"));
        assertTrue(get(pool, "carol").enabled());
    }

    @Test
    void answersTheUsernameAsCreatedWhateverNameFoundTheUser() {
        PoolRecord pool = gateway.newPool().withCaseSensitive(false).withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("Jack").sub("sub-jack").email("Jack@Example.com").build());
        assertEquals("Jack", get(pool, "JACK").username());
        assertEquals("Jack", get(pool, "jack@example.com").username());
        assertEquals("Jack", get(pool, "sub-jack").username());
        assertEquals(attribute("email", "Jack@Example.com"), get(pool, "jack").userAttributes().get(1));
    }

    @Test
    void leavesOutWhatTheUserDoesNotHaveAndFieldsThatAreNotAttributes() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("dave").sub("sub-dave").tokens(1).build());
        gateway.cognito().adminUserGlobalSignOut(b -> b.userPoolId(pool.poolId()).username("dave"));
        gateway.redis(Command.HDEL, gateway.keys().user(pool.poolId(), "dave"), "created_at", "status");

        AdminGetUserResponse user = get(pool, "dave");

        assertEquals(List.of(attribute("sub", "sub-dave")), user.userAttributes());
        assertEquals(null, user.userCreateDate());
        assertEquals(null, user.userStatus());
        assertTrue(user.enabled());
    }

    @Test
    void changesNothing() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("erin").tokens(2).build());
        Map<String, String> before = gateway.user(pool, "erin");

        get(pool, "erin");
        get(pool, "erin");

        assertEquals(before, gateway.user(pool, "erin"));
        assertEquals(2, gateway.tokenKeys(pool, "erin").size());
        assertEquals(0, gateway.events(pool).size());
    }
}
