package dev.idpgateway.operation;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.store.KeySchema;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminDisableUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AdminDisableUser end to end: the AWS SDK for Java v2 against the gateway against a real Redis. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class AdminDisableUserTest {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final KeySchema KEYS = new KeySchema("idp");
    /** Token ids the tests give their users: known ids, so that token keys are checked one by one on any topology. */
    private static final int MAX_TOKENS = 5;
    private GatewayFixture gateway;
    private CognitoIdentityProviderClient cognito;

    /** The gateway the suite runs against; a subclass runs the same suite on another Redis topology. */
    protected GatewayFixture startGateway() {
        return GatewayFixture.start();
    }

    /** Makes Redis forget every script, as a restart or failover does. */
    protected void flushScripts(GatewayFixture gateway) {
        gateway.redis.send(Command.SCRIPT, "FLUSH");
    }

    @BeforeAll
    void start() {
        gateway = startGateway();
        cognito = gateway.client();
    }

    @AfterAll
    void stop() {
        cognito.close();
        gateway.close();
    }

    /** Every test gets pools of its own, so that tests never see each other's users. */
    private static PoolRecord newPool() {
        return PoolRecord.of("us-east-1_Pool" + POOLS.incrementAndGet());
    }

    private void write(PoolRecord pool, UserRecord... users) {
        GatewayFixture.await(gateway.writer.write(pool, users));
    }

    private AdminDisableUserResponse disable(PoolRecord pool, String username) {
        return cognito.adminDisableUser(b -> b.userPoolId(pool.poolId()).username(username));
    }

    private Map<String, String> user(PoolRecord pool, String userKey) {
        return gateway.redis.hash(KEYS.user(pool.poolId(), userKey));
    }

    private Set<String> tokenKeys(PoolRecord pool, String userKey) {
        Set<String> existing = new java.util.TreeSet<>();
        for (String tokenId : tokenIds(MAX_TOKENS)) {
            String key = KEYS.token(pool.poolId(), userKey, tokenId);
            if (gateway.redis.send(Command.EXISTS, key).toInteger() == 1) {
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
        PoolRecord pool = newPool();
        write(pool, UserRecord.builder("alice").tokenIds(tokenIds(3)).build(), UserRecord.builder("bob").tokenIds(tokenIds(2)).build());
        assertEquals(3, tokenKeys(pool, "alice").size());

        AdminDisableUserResponse response = disable(pool, "alice");

        assertEquals(200, response.sdkHttpResponse().statusCode());
        Map<String, String> alice = user(pool, "alice");
        assertEquals("false", alice.get("enabled"));
        assertNotNull(alice.get("tokens_revoked_at"));
        assertEquals(alice.get("tokens_revoked_at"), alice.get("modified_at"));
        assertTrue(Math.abs(Long.parseLong(alice.get("tokens_revoked_at")) - System.currentTimeMillis()) < 60_000);
        assertEquals(Set.of(), tokenKeys(pool, "alice"));
        assertEquals(0, gateway.redis.send(Command.EXISTS, KEYS.tokenIndex(pool.poolId(), "alice")).toInteger());
        // Nobody else is touched.
        assertEquals("true", user(pool, "bob").get("enabled"));
        assertEquals(2, tokenKeys(pool, "bob").size());
    }

    @Test
    void appendsAnAuditEvent() {
        PoolRecord pool = newPool();
        write(pool, UserRecord.builder("carol").sub("sub-carol").tokenIds(tokenIds(2)).build());

        String requestId = disable(pool, "carol").responseMetadata().requestId();

        Response events = gateway.redis.send(Command.XRANGE, KEYS.events(pool.poolId()), "-", "+");
        assertEquals(1, events.size());
        Response fields = events.get(0).get(1);
        Map<String, String> event = new java.util.HashMap<>();
        for (int i = 0; i < fields.size(); i += 2) {
            event.put(fields.get(i).toString(), fields.get(i + 1).toString());
        }
        assertEquals("AdminDisableUser", event.get("operation"));
        assertEquals(pool.poolId(), event.get("pool"));
        assertEquals("carol", event.get("user_key"));
        assertEquals("sub-carol", event.get("sub"));
        assertEquals("2", event.get("tokens_revoked"));
        assertEquals(requestId, event.get("request_id"));
        assertEquals("anonymous", event.get("caller"));
        assertEquals(user(pool, "carol").get("tokens_revoked_at"), event.get("time"));
    }

    @Test
    void disablingADisabledUserSucceedsAgain() {
        PoolRecord pool = newPool();
        write(pool, UserRecord.builder("dave").tokenIds(tokenIds(1)).build());
        disable(pool, "dave");
        disable(pool, "dave");
        assertEquals("false", user(pool, "dave").get("enabled"));
        assertEquals(2L, gateway.redis.send(Command.XLEN, KEYS.events(pool.poolId())).toLong());
    }

    @Test
    void aMissingPoolIsResourceNotFound() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> cognito.adminDisableUser(b -> b.userPoolId("us-east-1_Missing").username("alice")));
        assertEquals("User pool us-east-1_Missing does not exist.", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        assertEquals("ResourceNotFoundException", e.awsErrorDetails().errorCode());
        assertNotNull(e.requestId());
    }

    @Test
    void aMissingUserIsUserNotFound() {
        PoolRecord pool = newPool().withAliasAttributes("email");
        write(pool, UserRecord.builder("erin").email("erin@example.com").build());
        UserNotFoundException e = assertThrows(UserNotFoundException.class, () -> disable(pool, "nobody"));
        assertEquals("User does not exist.", e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
    }

    @Test
    void invalidInputIsInvalidParameterAndNeverEchoesTheUsername() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> cognito.adminDisableUser(b -> b.userPoolId("bad").username("has space")));
        assertEquals("2 validation errors detected: Value 'bad' at 'userPoolId' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+; Value at 'username' failed "
                + "to satisfy constraint: Member must satisfy regular expression pattern: "
                + "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", e.awsErrorDetails().errorMessage());
        assertThrows(InvalidParameterException.class, () -> cognito.adminDisableUser(b -> b.userPoolId("us-east-1_A")));
    }

    @Test
    void resolvesByAliasAttributes() {
        PoolRecord pool = newPool().withAliasAttributes("email", "preferred_username");
        write(pool, UserRecord.builder("frank").email("frank@example.com").tokenIds(tokenIds(2)).build(),
                UserRecord.builder("gina").preferredUsername("gigi").tokenIds(tokenIds(1)).build());

        disable(pool, "frank@example.com");
        disable(pool, "gigi");

        assertEquals("false", user(pool, "frank").get("enabled"));
        assertEquals(Set.of(), tokenKeys(pool, "frank"));
        assertEquals("false", user(pool, "gina").get("enabled"));
    }

    @Test
    void resolvesByUsernameAttributes() {
        PoolRecord pool = newPool().withUsernameAttributes("phone_number");
        write(pool, UserRecord.builder("3b7f0c1e").phoneNumber("+15555550100").build());
        disable(pool, "+15555550100");
        assertEquals("false", user(pool, "3b7f0c1e").get("enabled"));
    }

    @Test
    void resolvesBySub() {
        PoolRecord pool = newPool();
        write(pool, UserRecord.builder("hank").sub("5f3c2a94-1111-4e2b-9c3d-000000000001").tokenIds(tokenIds(1)).build());
        disable(pool, "5f3c2a94-1111-4e2b-9c3d-000000000001");
        assertEquals("false", user(pool, "hank").get("enabled"));
    }

    @Test
    void aliasesThePoolDoesNotAllowAreNotNames() {
        PoolRecord pool = newPool();
        write(pool, UserRecord.builder("ivy").email("ivy@example.com").build());
        // Written by hand: an index the pool's settings do not allow must not be followed.
        gateway.redis.send(Command.SET, KEYS.alias(pool.poolId(), "email", "ivy@example.com"), "ivy");
        assertThrows(UserNotFoundException.class, () -> disable(pool, "ivy@example.com"));
        assertEquals("true", user(pool, "ivy").get("enabled"));
    }

    @Test
    void caseInsensitivePoolsIgnoreCaseOfUsernamesAndEmails() {
        PoolRecord pool = newPool().withCaseSensitive(false).withAliasAttributes("email");
        write(pool, UserRecord.builder("Jack").email("Jack.Smith@Example.com").tokenIds(tokenIds(1)).build(),
                UserRecord.builder("kim").email("KIM@EXAMPLE.COM").build());

        disable(pool, "JACK");
        disable(pool, "kim@example.com");

        assertEquals("false", user(pool, "jack").get("enabled"));
        assertEquals("Jack", user(pool, "jack").get("username"));
        assertEquals("false", user(pool, "kim").get("enabled"));
    }

    @Test
    void caseSensitivePoolsDoNot() {
        PoolRecord pool = newPool();
        write(pool, UserRecord.builder("Liam").build());
        assertThrows(UserNotFoundException.class, () -> disable(pool, "liam"));
        disable(pool, "Liam");
        assertEquals("false", user(pool, "Liam").get("enabled"));
    }

    @Test
    void nonAsciiCaseInAliasesIsFoldedLikeTheIndex() {
        PoolRecord pool = newPool().withCaseSensitive(false).withAliasAttributes("email");
        write(pool, UserRecord.builder("mia").email("MÜLLER@example.com").build());
        disable(pool, "müller@EXAMPLE.com");
        assertEquals("false", user(pool, "mia").get("enabled"));
    }

    /** On Redis Cluster the indexes live on other slots than the users: the refusal must not depend on one node. */
    @Test
    void aNameOfTwoUsersDisablesNeither() {
        PoolRecord pool = newPool().withAliasAttributes("email");
        String sub = "4e0a7c2d-3333-4e2b-9c3d-000000000001";
        write(pool, UserRecord.builder("xena").sub(sub).email("yuri@example.com").tokenIds(tokenIds(2)).build(),
                UserRecord.builder(sub).tokenIds(tokenIds(1)).build(),
                UserRecord.builder("yuri@example.com").tokenIds(tokenIds(1)).build());

        assertThrows(InvalidParameterException.class, () -> disable(pool, sub));
        assertThrows(InvalidParameterException.class, () -> disable(pool, "yuri@example.com"));

        for (String userKey : new String[] {"xena", sub, "yuri@example.com"}) {
            assertEquals("true", user(pool, userKey).get("enabled"), userKey);
            assertFalse(user(pool, userKey).containsKey("tokens_revoked_at"), userKey);
        }
        assertEquals(2, tokenKeys(pool, "xena").size());
        assertEquals(1, tokenKeys(pool, sub).size());
        assertEquals(1, tokenKeys(pool, "yuri@example.com").size());
    }

    @Test
    void aStaleIndexNeverDisablesTheWrongAccount() {
        PoolRecord pool = newPool().withAliasAttributes("email");
        write(pool, UserRecord.builder("nina").email("shared@example.com").tokenIds(tokenIds(1)).build());
        // nina's email changed, but the index still points at her (a writer raced us).
        gateway.redis.send(Command.HSET, KEYS.user(pool.poolId(), "nina"), "email", "nina@example.com");

        assertThrows(UserNotFoundException.class, () -> disable(pool, "shared@example.com"));

        assertEquals("true", user(pool, "nina").get("enabled"));
        assertEquals(1, tokenKeys(pool, "nina").size());
    }

    @Test
    void anIndexPointingAtAVanishedUserIsUserNotFound() {
        PoolRecord pool = newPool();
        gateway.redis.send(Command.HSET, KEYS.pool(pool.poolId()), "case_sensitive", "true");
        gateway.redis.send(Command.SET, KEYS.sub(pool.poolId(), "sub-ghost"), "ghost");
        assertThrows(UserNotFoundException.class, () -> disable(pool, "sub-ghost"));
    }

    @Test
    void theScriptIsReloadedAfterScriptFlush() {
        PoolRecord pool = newPool();
        write(pool, UserRecord.builder("oscar").tokenIds(tokenIds(1)).build(), UserRecord.builder("pia").tokenIds(tokenIds(1)).build());
        disable(pool, "oscar");
        flushScripts(gateway);
        disable(pool, "pia");
        assertEquals("false", user(pool, "pia").get("enabled"));
        assertEquals(Set.of(), tokenKeys(pool, "pia"));
    }

    @Test
    void everyErrorCarriesRequestIdAndErrorType() {
        CognitoIdentityProviderException e = assertThrows(CognitoIdentityProviderException.class,
                () -> cognito.adminDisableUser(b -> b.userPoolId("us-east-1_Nope").username("x")));
        assertFalse(e.requestId().isBlank());
        assertEquals("ResourceNotFoundException",
                e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amzn-ErrorType").orElseThrow());
        assertTrue(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Date").isPresent());
    }
}
