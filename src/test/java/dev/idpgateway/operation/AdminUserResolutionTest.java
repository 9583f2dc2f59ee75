package dev.idpgateway.operation;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayUnderTest;
import io.micrometer.core.instrument.Counter;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What every operation on one user shares, run for each of them through the AWS SDK: how the
 * {@code Username} is resolved (username, allowed aliases, sub, case folding), the index re-check, the
 * refusal of a name of two users, and the modelled errors for a missing pool, a missing user and invalid input.
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
    void caseInsensitivePoolsFoldNamesByTheWrittenRule(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withCaseSensitive(false).withAliasAttributes("preferred_username");
        gateway.write(pool, UserRecord.builder("kate").build(), UserRecord.builder("émile").build(),
                UserRecord.builder("Straße").build(), UserRecord.builder("ılgaz").build(),
                UserRecord.builder("İpek").build(), UserRecord.builder("olga").preferredUsername("ＯＬＩ").build());
        assertEquals("kate", operation.actOn(pool, "\u212Aate"));
        assertEquals("kate", operation.actOn(pool, "ＫＡＴＥ"));
        assertEquals("émile", operation.actOn(pool, "E\u0301MILE"));
        assertEquals("strasse", operation.actOn(pool, "STRASSE"));
        assertEquals("ilgaz", operation.actOn(pool, "ILGAZ"));
        assertEquals("i\u0307pek", operation.actOn(pool, "i\u0307PEK"));
        assertThrows(UserNotFoundException.class, () -> operation.actOn(pool, "ipek"));
        // The stored alias is not in folded form: the script's re-check hands it to the gateway to fold.
        assertEquals("olga", operation.actOn(pool, "oli"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void caseSensitivePoolsStillTakeEitherNormalForm(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("e\u0301mile").build(), UserRecord.builder("Kate").build(),
                UserRecord.builder("zoe").email("zoe\u0301@example.com").build());
        assertEquals("émile", operation.actOn(pool, "émile"));
        assertEquals("émile", operation.actOn(pool, "e\u0301mile"));
        assertEquals("zoe", operation.actOn(pool, "zoé@example.com"));
        assertThrows(UserNotFoundException.class, () -> operation.actOn(pool, "ＫＡＴＥ"));
        assertThrows(UserNotFoundException.class, () -> operation.actOn(pool, "kate"));
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
    void aUsernameThatIsAnotherUsersSubIsRefusedAndChangesNothing(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool();
        String sub = "9a1c5e3b-2222-4e2b-9c3d-000000000001";
        gateway.write(pool, UserRecord.builder("quinn").sub(sub).tokens(2).build(),
                UserRecord.builder(sub).tokens(1).build());

        assertRefusedAndNothingChanges(pool, sub, operation, "username+sub", "quinn", sub);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void aUsernameThatIsAnotherUsersEmailIsRefused(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withCaseSensitive(false).withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("rosa").email("Ray@Example.com").tokens(1).build(),
                UserRecord.builder("ray@example.com").tokens(1).build());

        assertRefusedAndNothingChanges(pool, "RAY@example.com", operation, "username+email", "rosa", "ray@example.com");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void aPreferredUsernameThatIsAnotherUsersSubIsRefused(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withAliasAttributes("preferred_username");
        String sub = "9a1c5e3b-2222-4e2b-9c3d-000000000002";
        gateway.write(pool, UserRecord.builder("sam").sub(sub).tokens(1).build(),
                UserRecord.builder("tess").preferredUsername(sub).tokens(1).build());

        assertRefusedAndNothingChanges(pool, sub, operation, "preferred_username+sub", "sam", "tess");
    }

    private static void assertRefusedAndNothingChanges(PoolRecord pool, String username, UserOperation operation,
                                                       String matched, String... userKeys) {
        Map<String, Map<String, String>> before = new HashMap<>();
        Map<String, Integer> tokensBefore = new HashMap<>();
        for (String userKey : userKeys) {
            before.put(userKey, gateway.user(pool, userKey));
            tokensBefore.put(userKey, gateway.tokenKeys(pool, userKey).size());
        }
        double counted = ambiguousCount(matched);

        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> operation.actOn(pool, username));

        assertEquals(400, e.statusCode());
        assertEquals("Username matches more than one user in this pool; nothing was changed.",
                e.awsErrorDetails().errorMessage());
        for (String userKey : userKeys) {
            assertEquals(before.get(userKey), gateway.user(pool, userKey), userKey);
            assertEquals("true", gateway.user(pool, userKey).get("enabled"), userKey);
            assertEquals(tokensBefore.get(userKey), gateway.tokenKeys(pool, userKey).size(), userKey);
        }
        assertEquals(0, gateway.events(pool).size());
        assertEquals(counted + 1, ambiguousCount(matched));
    }

    /** Summed over operations: each parameterized run counts its own refusal. */
    private static double ambiguousCount(String matched) {
        return gateway.fixture().telemetry.registry().find("idp.users.ambiguous").tag("matched", matched)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void aNameThatNamesOneUserSeveralWaysIsThatUser(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email", "preferred_username");
        gateway.write(pool, UserRecord.builder("uma").preferredUsername("uma").build(),
                UserRecord.builder("vic@example.com").email("vic@example.com").preferredUsername("vic@example.com").build());
        assertEquals("uma", operation.actOn(pool, "uma"));
        assertEquals("vic@example.com", operation.actOn(pool, "vic@example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void aStaleIndexToAnotherUserDoesNotMakeANameAmbiguous(String name, UserOperation operation) {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("walt").email("wes@example.com").build(),
                UserRecord.builder("wes@example.com").build());
        // walt's email changed; the index of his old one was left behind.
        gateway.redis(Command.HSET, gateway.keys().user(pool.poolId(), "walt"), "email", "walt@example.com");
        assertEquals("wes@example.com", operation.actOn(pool, "wes@example.com"));
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
