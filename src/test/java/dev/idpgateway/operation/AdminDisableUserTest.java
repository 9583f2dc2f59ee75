package dev.idpgateway.operation;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.http.GatewayUnderTest;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminDisableUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AdminDisableUser end to end: the AWS SDK for Java v2 against the gateway against a real Redis. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class AdminDisableUserTest {
    /** Token ids the tests give their users: known ids, so that token keys are checked one by one on any topology. */
    private static final int MAX_TOKENS = 5;
    @RegisterExtension
    final GatewayUnderTest gateway = new GatewayUnderTest(this::startGateway);

    /** The gateway the suite runs against; a subclass runs the same suite on another Redis topology. */
    protected GatewayFixture startGateway() {
        return GatewayFixture.start();
    }

    /** Makes Redis forget every script, as a restart or failover does. */
    protected void flushScripts(GatewayFixture fixture) {
        fixture.redis.send(Command.SCRIPT, "FLUSH");
    }

    private AdminDisableUserResponse disable(PoolRecord pool, String username) {
        return gateway.cognito().adminDisableUser(b -> b.userPoolId(pool.poolId()).username(username));
    }

    /** Asked key by key, not by pattern as {@link GatewayUnderTest#tokenKeys} does: KEYS sees one node of a cluster. */
    private Set<String> tokenKeys(PoolRecord pool, String userKey) {
        Set<String> existing = new TreeSet<>();
        for (String tokenId : tokenIds(MAX_TOKENS)) {
            String key = gateway.keys().token(pool.poolId(), userKey, tokenId);
            if (gateway.redis(Command.EXISTS, key).toInteger() == 1) {
                existing.add(key);
            }
        }
        return existing;
    }

    private static String[] tokenIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> "t" + i).toArray(String[]::new);
    }

    @Test
    void disablesTheUserAndDeletesEveryTokenAtomically() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("alice").tokenIds(tokenIds(3)).build(), UserRecord.builder("bob").tokenIds(tokenIds(2)).build());
        assertEquals(3, tokenKeys(pool, "alice").size());

        AdminDisableUserResponse response = disable(pool, "alice");

        assertEquals(200, response.sdkHttpResponse().statusCode());
        Map<String, String> alice = gateway.user(pool, "alice");
        assertEquals("false", alice.get("enabled"));
        assertNotNull(alice.get("tokens_revoked_at"));
        assertEquals(alice.get("tokens_revoked_at"), alice.get("modified_at"));
        assertTrue(Math.abs(Long.parseLong(alice.get("tokens_revoked_at")) - System.currentTimeMillis()) < 60_000);
        assertEquals(Set.of(), tokenKeys(pool, "alice"));
        assertFalse(gateway.hasTokenIndex(pool, "alice"));
        // Nobody else is touched.
        assertEquals("true", gateway.user(pool, "bob").get("enabled"));
        assertEquals(2, tokenKeys(pool, "bob").size());
    }

    @Test
    void appendsAnAuditEvent() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("carol").sub("sub-carol").tokenIds(tokenIds(2)).build());

        String requestId = disable(pool, "carol").responseMetadata().requestId();

        List<Map<String, String>> events = gateway.events(pool);
        assertEquals(1, events.size());
        Map<String, String> event = events.get(0);
        assertEquals("AdminDisableUser", event.get("operation"));
        assertEquals(pool.poolId(), event.get("pool"));
        assertEquals("carol", event.get("user_key"));
        assertEquals("sub-carol", event.get("sub"));
        assertEquals("2", event.get("tokens_revoked"));
        assertEquals(requestId, event.get("request_id"));
        assertEquals("anonymous", event.get("caller"));
        assertEquals(gateway.user(pool, "carol").get("tokens_revoked_at"), event.get("time"));
    }

    @Test
    void disablingADisabledUserSucceedsAgain() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("dave").tokenIds(tokenIds(1)).build());
        disable(pool, "dave");
        disable(pool, "dave");
        assertEquals("false", gateway.user(pool, "dave").get("enabled"));
        assertEquals(2, gateway.events(pool).size());
    }

    @Test
    void aMissingPoolIsResourceNotFound() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> gateway.cognito().adminDisableUser(b -> b.userPoolId("us-east-1_Missing").username("alice")));
        assertEquals("User pool us-east-1_Missing does not exist.", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        assertEquals("ResourceNotFoundException", e.awsErrorDetails().errorCode());
        assertNotNull(e.requestId());
    }

    @Test
    void aMissingUserIsUserNotFound() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("erin").email("erin@example.com").build());
        UserNotFoundException e = assertThrows(UserNotFoundException.class, () -> disable(pool, "nobody"));
        assertEquals("User does not exist.", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
    }

    @Test
    void invalidInputIsInvalidParameterAndNeverEchoesTheUsername() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> gateway.cognito().adminDisableUser(b -> b.userPoolId("bad").username("has space")));
        assertEquals("2 validation errors detected: Value 'bad' at 'userPoolId' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+; Value at 'username' failed "
                + "to satisfy constraint: Member must satisfy regular expression pattern: "
                + "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", e.awsErrorDetails().errorMessage());
        assertThrows(InvalidParameterException.class, () -> gateway.cognito().adminDisableUser(b -> b.userPoolId("us-east-1_A")));
    }

    @Test
    void resolvesByAliasAttributes() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email", "preferred_username");
        gateway.write(pool, UserRecord.builder("frank").email("frank@example.com").tokenIds(tokenIds(2)).build(),
                UserRecord.builder("gina").preferredUsername("gigi").tokenIds(tokenIds(1)).build());

        disable(pool, "frank@example.com");
        disable(pool, "gigi");

        assertEquals("false", gateway.user(pool, "frank").get("enabled"));
        assertEquals(Set.of(), tokenKeys(pool, "frank"));
        assertEquals("false", gateway.user(pool, "gina").get("enabled"));
    }

    @Test
    void resolvesByUsernameAttributes() {
        PoolRecord pool = gateway.newPool().withUsernameAttributes("phone_number");
        gateway.write(pool, UserRecord.builder("3b7f0c1e").phoneNumber("+15555550100").build());
        disable(pool, "+15555550100");
        assertEquals("false", gateway.user(pool, "3b7f0c1e").get("enabled"));
    }

    @Test
    void resolvesBySub() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("hank").sub("5f3c2a94-1111-4e2b-9c3d-000000000001").tokenIds(tokenIds(1)).build());
        disable(pool, "5f3c2a94-1111-4e2b-9c3d-000000000001");
        assertEquals("false", gateway.user(pool, "hank").get("enabled"));
    }

    @Test
    void aliasesThePoolDoesNotAllowAreNotNames() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("ivy").email("ivy@example.com").build());
        // Written by hand: an index the pool's settings do not allow must not be followed.
        gateway.redis(Command.SET, gateway.keys().alias(pool.poolId(), "email", "ivy@example.com"), "ivy");
        assertThrows(UserNotFoundException.class, () -> disable(pool, "ivy@example.com"));
        assertEquals("true", gateway.user(pool, "ivy").get("enabled"));
    }

    @Test
    void caseInsensitivePoolsIgnoreCaseOfUsernamesAndEmails() {
        PoolRecord pool = gateway.newPool().withCaseSensitive(false).withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("Jack").email("Jack.Smith@Example.com").tokenIds(tokenIds(1)).build(),
                UserRecord.builder("kim").email("KIM@EXAMPLE.COM").build());

        disable(pool, "JACK");
        disable(pool, "kim@example.com");

        assertEquals("false", gateway.user(pool, "jack").get("enabled"));
        assertEquals("Jack", gateway.user(pool, "jack").get("username"));
        assertEquals("false", gateway.user(pool, "kim").get("enabled"));
    }

    @Test
    void caseSensitivePoolsDoNot() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("Liam").build());
        assertThrows(UserNotFoundException.class, () -> disable(pool, "liam"));
        disable(pool, "Liam");
        assertEquals("false", gateway.user(pool, "Liam").get("enabled"));
    }

    @Test
    void nonAsciiCaseInAliasesIsFoldedLikeTheIndex() {
        PoolRecord pool = gateway.newPool().withCaseSensitive(false).withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("mia").email("MÜLLER@example.com").build());
        disable(pool, "müller@EXAMPLE.com");
        assertEquals("false", gateway.user(pool, "mia").get("enabled"));
    }

    /** On Redis Cluster the indexes live on other slots than the users: the refusal must not depend on one node. */
    @Test
    void aNameOfTwoUsersDisablesNeither() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        String sub = "4e0a7c2d-3333-4e2b-9c3d-000000000001";
        gateway.write(pool, UserRecord.builder("xena").sub(sub).email("yuri@example.com").tokenIds(tokenIds(2)).build(),
                UserRecord.builder(sub).tokenIds(tokenIds(1)).build(),
                UserRecord.builder("yuri@example.com").tokenIds(tokenIds(1)).build());

        assertThrows(InvalidParameterException.class, () -> disable(pool, sub));
        assertThrows(InvalidParameterException.class, () -> disable(pool, "yuri@example.com"));

        for (String userKey : new String[] {"xena", sub, "yuri@example.com"}) {
            assertEquals("true", gateway.user(pool, userKey).get("enabled"), userKey);
            assertFalse(gateway.user(pool, userKey).containsKey("tokens_revoked_at"), userKey);
        }
        assertEquals(2, tokenKeys(pool, "xena").size());
        assertEquals(1, tokenKeys(pool, sub).size());
        assertEquals(1, tokenKeys(pool, "yuri@example.com").size());
    }

    @Test
    void aStaleIndexNeverDisablesTheWrongAccount() {
        PoolRecord pool = gateway.newPool().withAliasAttributes("email");
        gateway.write(pool, UserRecord.builder("nina").email("shared@example.com").tokenIds(tokenIds(1)).build());
        // nina's email changed, but the index still points at her (a writer raced us).
        gateway.redis(Command.HSET, gateway.keys().user(pool.poolId(), "nina"), "email", "nina@example.com");

        assertThrows(UserNotFoundException.class, () -> disable(pool, "shared@example.com"));

        assertEquals("true", gateway.user(pool, "nina").get("enabled"));
        assertEquals(1, tokenKeys(pool, "nina").size());
    }

    @Test
    void anIndexPointingAtAVanishedUserIsUserNotFound() {
        PoolRecord pool = gateway.newPool();
        gateway.redis(Command.HSET, gateway.keys().pool(pool.poolId()), "case_sensitive", "true");
        gateway.redis(Command.SET, gateway.keys().sub(pool.poolId(), "sub-ghost"), "ghost");
        assertThrows(UserNotFoundException.class, () -> disable(pool, "sub-ghost"));
    }

    @Test
    void theScriptIsReloadedAfterScriptFlush() {
        PoolRecord pool = gateway.newPool();
        gateway.write(pool, UserRecord.builder("oscar").tokenIds(tokenIds(1)).build(), UserRecord.builder("pia").tokenIds(tokenIds(1)).build());
        disable(pool, "oscar");
        flushScripts(gateway.fixture());
        disable(pool, "pia");
        assertEquals("false", gateway.user(pool, "pia").get("enabled"));
        assertEquals(Set.of(), tokenKeys(pool, "pia"));
    }

    @Test
    void everyErrorCarriesRequestIdAndErrorType() {
        CognitoIdentityProviderException e = assertThrows(CognitoIdentityProviderException.class,
                () -> gateway.cognito().adminDisableUser(b -> b.userPoolId("us-east-1_Nope").username("x")));
        assertFalse(e.requestId().isBlank());
        assertEquals("ResourceNotFoundException",
                e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amzn-ErrorType").orElseThrow());
        assertTrue(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Date").isPresent());
    }
}
