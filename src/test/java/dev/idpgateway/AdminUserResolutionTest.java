package dev.idpgateway;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What every operation on one user shares, run for each of them through the AWS SDK: how the
 * {@code Username} is resolved (username, allowed aliases, sub, case), the index re-check, and the
 * modelled errors for a missing pool, a missing user and invalid input.
 */
class AdminUserResolutionTest {
    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest();

    /** One operation as these tests call it: it returns the key of the user the operation acted on. */
    @FunctionalInterface
    interface UserOperation {
        String actOn(PoolRecord pool, String username);
    }

    static Stream<Arguments> operations() {
        return Stream.of(
                Arguments.of("AdminDisableUser", update((pool, username) ->
                        gateway.cognito().adminDisableUser(b -> b.userPoolId(pool).username(username)))),
                Arguments.of("AdminEnableUser", update((pool, username) ->
                        gateway.cognito().adminEnableUser(b -> b.userPoolId(pool).username(username)))),
                Arguments.of("AdminUserGlobalSignOut", update((pool, username) ->
                        gateway.cognito().adminUserGlobalSignOut(b -> b.userPoolId(pool).username(username)))),
                Arguments.of("AdminGetUser", (UserOperation) (pool, username) -> pool.userKey(
                        gateway.cognito().adminGetUser(b -> b.userPoolId(pool.poolId()).username(username)).username())));
    }

    /** An update answers {@code {}}: the audit event it appends names the user it changed. */
    private static UserOperation update(BiConsumer<String, String> call) {
        return (pool, username) -> {
            call.accept(pool.poolId(), username);
            return gateway.lastEvent(pool).get("user_key");
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void resolvesTheUsername(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("alice").build(), UserRecord.builder("bob").build());
        assertEquals("alice", operation.actOn(pool, "alice"));
        assertEquals("bob", operation.actOn(pool, "bob"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void resolvesByAliasAttributes(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email", "preferred_username");
        gateway.write(pool, UserRecord.builder("frank").email("frank@example.com").build(),
                UserRecord.builder("gina").preferredUsername("gigi").build());
        assertEquals("frank", operation.actOn(pool, "frank@example.com"));
        assertEquals("gina", operation.actOn(pool, "gigi"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void resolvesByUsernameAttributesAndBySub(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withUsernameAttributes("phone_number");
        gateway.write(pool, UserRecord.builder("3b7f0c1e").phoneNumber("+15555550100").build(),
                UserRecord.builder("hank").sub("5f3c2a94-1111-4e2b-9c3d-000000000001").build());
        assertEquals("3b7f0c1e", operation.actOn(pool, "+15555550100"));
        assertEquals("hank", operation.actOn(pool, "5f3c2a94-1111-4e2b-9c3d-000000000001"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void caseInsensitivePoolsIgnoreCaseOfUsernamesAndEmails(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withCaseSensitive(false).withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("Jack").email("Jack.Smith@Example.com").build(),
                UserRecord.builder("kim").email("KIM@EXAMPLE.COM").build(),
                UserRecord.builder("mia").email("MÜLLER@example.com").build());
        assertEquals("jack", operation.actOn(pool, "JACK"));
        assertEquals("kim", operation.actOn(pool, "kim@example.com"));
        assertEquals("mia", operation.actOn(pool, "müller@EXAMPLE.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void caseSensitivePoolsDoNot(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("Liam").build());
        assertThrows(UserNotFoundException.class, () -> operation.actOn(pool, "liam"));
        assertEquals("Liam", operation.actOn(pool, "Liam"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void aliasesThePoolDoesNotAllowAreNotNames(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("ivy").email("ivy@example.com").build());
        // Written by hand: an index the pool's settings do not allow must not be followed.
        gateway.redis(Command.SET, gateway.keys().alias(pool.poolId(), "email", "ivy@example.com"), "ivy");
        assertThrows(UserNotFoundException.class, () -> operation.actOn(pool, "ivy@example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void aStaleIndexNeverReachesTheWrongAccount(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("nina").email("shared@example.com").disabled().tokens(1).build());
        // nina's email changed, but the index still points at her (a writer raced us).
        gateway.redis(Command.HSET, gateway.keys().user(pool.poolId(), "nina"), "email", "nina@example.com");
        Map<String, String> before = gateway.user(pool, "nina");

        assertThrows(UserNotFoundException.class, () -> operation.actOn(pool, "shared@example.com"));

        assertEquals(before, gateway.user(pool, "nina"));
        assertEquals(1, gateway.tokenKeys(pool, "nina").size());
        assertEquals(0, gateway.events(pool).size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void anIndexPointingAtAVanishedUserIsUserNotFound(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool();
        gateway.redis(Command.HSET, gateway.keys().pool(pool.poolId()), "case_sensitive", "true");
        gateway.redis(Command.SET, gateway.keys().sub(pool.poolId(), "sub-ghost"), "ghost");
        assertThrows(UserNotFoundException.class, () -> operation.actOn(pool, "sub-ghost"));
        assertEquals(Map.of(), gateway.user(pool, "ghost"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void aMissingUserIsUserNotFound(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("erin").email("erin@example.com").build());
        UserNotFoundException e = assertThrows(UserNotFoundException.class, () -> operation.actOn(pool, "nobody"));
        assertEquals("User does not exist.", e.awsErrorDetails().errorMessage());
        assertEquals("UserNotFoundException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertNotNull(e.requestId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void aMissingPoolIsResourceNotFound(String name, UserOperation operation) {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> operation.actOn(PoolRecord.of("us-east-1_Missing"), "alice"));
        assertEquals("User pool us-east-1_Missing does not exist.", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        assertFalse(e.requestId().isBlank());
        assertEquals("ResourceNotFoundException",
                e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amzn-ErrorType").orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void invalidInputIsInvalidParameterAndNeverEchoesTheUsername(String name, UserOperation operation) {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> operation.actOn(PoolRecord.of("bad"), "has space"));
        assertEquals("2 validation errors detected: Value 'bad' at 'userPoolId' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+; Value at 'username' failed "
                + "to satisfy constraint: Member must satisfy regular expression pattern: "
                + "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", e.awsErrorDetails().errorMessage());

        InvalidParameterException missing = assertThrows(InvalidParameterException.class,
                () -> operation.actOn(PoolRecord.of("us-east-1_A"), null));
        assertEquals("1 validation error detected: Value at 'username' failed to satisfy constraint: "
                + "Member must not be null", missing.awsErrorDetails().errorMessage());

        String tooLong = "x".repeat(129);
        InvalidParameterException length = assertThrows(InvalidParameterException.class,
                () -> operation.actOn(PoolRecord.of("us-east-1_A"), tooLong));
        assertEquals("1 validation error detected: Value at 'username' failed to satisfy constraint: "
                + "Member must have length less than or equal to 128", length.awsErrorDetails().errorMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void theScriptIsReloadedAfterScriptFlush(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("oscar").build(), UserRecord.builder("pia").build());
        assertEquals("oscar", operation.actOn(pool, "oscar"));
        gateway.redis(Command.SCRIPT, "FLUSH");
        assertEquals("pia", operation.actOn(pool, "pia"));
    }
}
