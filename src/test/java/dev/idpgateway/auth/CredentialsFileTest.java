package dev.idpgateway.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Loading the credentials file: the sample loads, and every mistake names its place. */
class CredentialsFileTest {

    @Test
    void loadsTheSampleFile() {
        Credentials credentials = TestCredentials.sample();

        assertEquals(2, credentials.principals().size());
        assertEquals(3, credentials.accessKeyCount());
        assertEquals("account-service", credentials.find(TestCredentials.ACCOUNT_SERVICE_SECOND_KEY).principal().name());
        assertNull(credentials.find("AKIDUNKNOWN"));
    }

    @Test
    void rejectsUnsupportedPolicyElements() {
        assertLoadError("test.yaml: principals[0].policy.Statement[0]: 'Condition' is not supported here "
                + "(supported: Action, Effect, Resource, Sid)", statement("Condition: {Bool: {aws:SecureTransport: true}}"));
        assertLoadError("test.yaml: principals[0].policy.Statement[0]: 'NotAction' is not supported here "
                + "(supported: Action, Effect, Resource, Sid)", statement("NotAction: \"cognito-idp:ListUsers\""));
        assertLoadError("test.yaml: principals[0].policy.Statement[0]: 'Principal' is not supported here "
                + "(supported: Action, Effect, Resource, Sid)", statement("Principal: \"*\""));
    }

    @Test
    void rejectsMalformedStatements() {
        assertLoadError("test.yaml: principals[0].policy.Statement[0].Effect: must be \"Allow\" or \"Deny\"", """
                principals:
                  - name: a
                    accessKeys: [{id: AKIDA, secret: "s"}]
                    policy: {Statement: [{Effect: allow, Action: "*", Resource: "*"}]}
                """);
        assertLoadError("test.yaml: principals[0].policy.Statement[0]: 'Resource' is required", """
                principals:
                  - name: a
                    accessKeys: [{id: AKIDA, secret: "s"}]
                    policy: {Statement: [{Effect: Allow, Action: "*"}]}
                """);
        assertLoadError("test.yaml: principals[0].policy.Statement[0].Action: must be a string or a non-empty list of strings", """
                principals:
                  - name: a
                    accessKeys: [{id: AKIDA, secret: "s"}]
                    policy: {Statement: [{Effect: Allow, Action: [], Resource: "*"}]}
                """);
        assertLoadError("test.yaml: principals[0].policy.Statement[0].Resource: uses a policy variable, which this gateway does not support", """
                principals:
                  - name: a
                    accessKeys: [{id: AKIDA, secret: "s"}]
                    policy: {Statement: [{Effect: Allow, Action: "*", Resource: "arn:${aws:username}"}]}
                """);
    }

    @Test
    void rejectsDuplicateAccessKeyIdsAcrossPrincipals() {
        assertLoadError("test.yaml: principals[1].accessKeys[0].id: duplicate access key id, "
                + "already used at principals[0].accessKeys[0].id", """
                principals:
                  - name: a
                    accessKeys: [{id: AKIDSHARED, secret: "s1"}]
                    policy: {Statement: {Effect: Allow, Action: "*", Resource: "*"}}
                  - name: b
                    accessKeys: [{id: AKIDSHARED, secret: "s2"}]
                    policy: {Statement: {Effect: Allow, Action: "*", Resource: "*"}}
                """);
    }

    @Test
    void rejectsMissingNamesAndEmptySecrets() {
        assertLoadError("test.yaml: principals[0]: 'name' is required", """
                principals:
                  - accessKeys: [{id: AKIDA, secret: "s"}]
                    policy: {Statement: {Effect: Allow, Action: "*", Resource: "*"}}
                """);
        assertLoadError("test.yaml: principals[0].accessKeys[1].secret: must not be empty", """
                principals:
                  - name: a
                    accessKeys: [{id: AKIDA, secret: "s"}, {id: AKIDB, secret: ""}]
                    policy: {Statement: {Effect: Allow, Action: "*", Resource: "*"}}
                """);
    }

    @Test
    void rejectsFilesThatAreNotCredentials() {
        assertLoadError("test.yaml: file: is empty", "");
        assertLoadError("test.yaml: file: unknown field at line 1, column 1 (supported: principals)", "users: []\n");
        assertLoadError("test.yaml: principals: must be a non-empty list", "principals: []\n");
    }

    @Test
    void reportsAnUnknownFieldByPositionWithoutQuotingIt() {
        // A secret pasted one line too far left becomes a field name of its own.
        assertLoadError("test.yaml: principals[0].accessKeys[0]: unknown field at line 5, column 9 (supported: id, secret)", """
                principals:
                  - name: a
                    accessKeys:
                      - id: AKIDA
                        wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY: ""
                    policy: {Statement: {Effect: Allow, Action: "*", Resource: "*"}}
                """);
    }

    @Test
    void reportsBrokenYamlByPositionWithoutQuotingIt() {
        String secret = "do-not-print-this-secret";
        CredentialsFileException e = assertThrows(CredentialsFileException.class, () -> TestCredentials.parse("""
                principals:
                  - name: a
                    accessKeys: [{id: AKIDA, secret: "%s}]
                """.formatted(secret)));

        assertFalse(e.getMessage().contains(secret), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private static String statement(String extra) {
        return """
                principals:
                  - name: a
                    accessKeys: [{id: AKIDA, secret: "s"}]
                    policy:
                      Statement:
                        - Effect: Allow
                          Action: "*"
                          Resource: "*"
                          %s
                """.formatted(extra);
    }

    private static void assertLoadError(String message, String yaml) {
        CredentialsFileException e = assertThrows(CredentialsFileException.class, () -> TestCredentials.parse(yaml));
        assertEquals(message, e.getMessage());
    }
}
