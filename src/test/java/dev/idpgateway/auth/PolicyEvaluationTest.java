package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IAM-style evaluation of the policies in src/test/resources/auth/credentials.yaml and a few more. */
class PolicyEvaluationTest {
    private static final String DISABLE = "cognito-idp:AdminDisableUser";
    private static final Authorizer AUTHORIZER = new Authorizer(List.of("us-east-1"), "000000000000");
    private static final Credentials SAMPLE = TestCredentials.sample();

    private static Caller caller(Credentials credentials, String accessKeyId) {
        AccessKey key = credentials.find(accessKeyId);
        return new AuthenticatedCaller(key.principal(), key.id());
    }

    private static String pool(String poolId) {
        return AUTHORIZER.userPoolArn(poolId);
    }

    @Test
    void allowsOnePoolAndExplicitlyDeniesAnother() {
        Caller accountService = caller(SAMPLE, TestCredentials.ACCOUNT_SERVICE_KEY);

        assertEquals(PolicyDecision.ALLOW, accountService.evaluate(DISABLE, pool("us-east-1_PoolA")));
        assertEquals(PolicyDecision.EXPLICIT_DENY, accountService.evaluate(DISABLE, pool("us-east-1_Prod")));
        assertFalse(accountService.isAllowed(DISABLE, pool("us-east-1_Prod")));
    }

    @Test
    void deniesImplicitlyWhenNoStatementMatches() {
        Caller accountService = caller(SAMPLE, TestCredentials.ACCOUNT_SERVICE_KEY);

        assertEquals(PolicyDecision.IMPLICIT_DENY, accountService.evaluate("cognito-idp:AdminDeleteUser", pool("us-east-1_PoolA")));
        assertEquals(PolicyDecision.IMPLICIT_DENY, accountService.evaluate(DISABLE, pool("eu-west-1_PoolA")));
        assertEquals(PolicyDecision.IMPLICIT_DENY, accountService.evaluate(DISABLE,
                "arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_PoolA"));
    }

    @Test
    void matchesActionsIgnoringCaseAndResourcesExactly() {
        Caller accountService = caller(SAMPLE, TestCredentials.ACCOUNT_SERVICE_KEY);

        assertTrue(accountService.isAllowed("Cognito-IDP:admindisableuser", pool("us-east-1_PoolA")));
        assertFalse(accountService.isAllowed(DISABLE, "ARN:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_PoolA"));
    }

    @Test
    void matchesStarAndQuestionMarkWildcards() {
        Caller supportTool = caller(SAMPLE, "AKIDSUPPORTTOOL00001");

        assertTrue(supportTool.isAllowed("cognito-idp:AdminResetUserPassword", pool("us-east-1_PoolA")));
        assertTrue(supportTool.isAllowed(DISABLE, pool("us-east-1_PoolZ")));
        assertFalse(supportTool.isAllowed(DISABLE, pool("us-east-1_Pool")), "? needs exactly one character");
        assertFalse(supportTool.isAllowed(DISABLE, pool("us-east-1_PoolAB")), "? matches one character only");
        assertFalse(supportTool.isAllowed("cognito-idp:ListUsers", pool("us-east-1_PoolA")));
    }

    @Test
    void letsADenyWinWhateverTheStatementOrder() {
        Credentials credentials = TestCredentials.parse("""
                principals:
                  - name: ops
                    accessKeys: [{id: AKIDOPS, secret: "s"}]
                    policy:
                      Statement:
                        - {Effect: Deny, Action: "cognito-idp:Admin*User", Resource: "*Prod"}
                        - {Effect: Allow, Action: "*", Resource: "*"}
                """);
        Caller ops = caller(credentials, "AKIDOPS");

        assertEquals(PolicyDecision.EXPLICIT_DENY, ops.evaluate(DISABLE, pool("us-east-1_Prod")));
        assertEquals(PolicyDecision.ALLOW, ops.evaluate(DISABLE, pool("us-east-1_Test")));
        assertEquals(PolicyDecision.ALLOW, ops.evaluate("cognito-idp:AdminGetUserAttributes", pool("us-east-1_Prod")));
    }

    @Test
    void wildcardMatchingNeedsNoBacktrackingBlowUp() {
        WildcardPattern pattern = WildcardPattern.caseSensitive("*a*a*a*a*a*a*a*a*b");

        assertFalse(pattern.matches("a".repeat(10_000)));
        assertTrue(WildcardPattern.caseSensitive("a*").matches("a"));
        assertTrue(WildcardPattern.caseSensitive("*").matches(""));
        assertFalse(WildcardPattern.caseSensitive("?").matches(""));
    }

    @Test
    void authorizesOrAnswersAccessDeniedInTheWordsOfTheLiveService() {
        Caller accountService = caller(SAMPLE, TestCredentials.ACCOUNT_SERVICE_KEY);

        assertDoesNotThrow(() -> AUTHORIZER.authorize(accountService, DISABLE, pool("us-east-1_PoolA")));
        AwsException implicit = assertThrows(AwsException.class,
                () -> AUTHORIZER.authorize(accountService, "cognito-idp:AdminDeleteUser", pool("us-east-1_PoolA")));
        assertEquals(ErrorCode.ACCESS_DENIED, implicit.code());
        assertEquals("User: arn:aws:iam::000000000000:user/account-service is not authorized to perform: "
                + "cognito-idp:AdminDeleteUser on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_PoolA "
                + "because no identity-based policy allows the cognito-idp:AdminDeleteUser action", implicit.getMessage());

        AwsException explicit = assertThrows(AwsException.class,
                () -> AUTHORIZER.authorize(accountService, DISABLE, pool("us-east-1_Prod")));
        assertEquals("User: arn:aws:iam::000000000000:user/account-service is not authorized to perform: "
                + "cognito-idp:AdminDisableUser on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Prod "
                + "with an explicit deny in an identity-based policy", explicit.getMessage());
    }
}
