package dev.idpgateway.operation;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InputValidatorTest {
    private static String violations(String poolId, String username) {
        AwsException e = assertThrows(AwsException.class, () -> new InputValidator()
                .check("userPoolId", poolId, StringConstraint.USER_POOL_ID)
                .check("username", username, StringConstraint.USERNAME)
                .throwIfInvalid());
        assertEquals(ErrorCode.INVALID_PARAMETER, e.code());
        return e.getMessage();
    }

    private static void valid(String poolId, String username) {
        assertDoesNotThrow(() -> new InputValidator()
                .check("userPoolId", poolId, StringConstraint.USER_POOL_ID)
                .check("username", username, StringConstraint.USERNAME)
                .throwIfInvalid());
    }

    @Test
    void patternViolationInTheServiceWords() {
        assertEquals("1 validation error detected: Value 'bad' at 'userPoolId' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+", violations("bad", "alice"));
    }

    @Test
    void missingMembersAreNullViolationsAndSensitiveValuesAreNeverShown() {
        assertEquals("2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: "
                + "Member must not be null; Value at 'username' failed to satisfy constraint: Member must not be null",
                violations(null, null));
        String message = violations("us-east-1_A", "has space");
        assertEquals("1 validation error detected: Value at 'username' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", message);
        assertFalse(message.contains("has space"));
    }

    @Test
    void lengthLimitsCountCodePoints() {
        valid("us-east-1_" + "a".repeat(45), "a".repeat(128));
        valid("us-east-1_A", "😀".repeat(128));
        assertEquals("1 validation error detected: Value '" + "us-east-1_" + "a".repeat(46) + "' at 'userPoolId' "
                        + "failed to satisfy constraint: Member must have length less than or equal to 55",
                violations("us-east-1_" + "a".repeat(46), "alice"));
        assertEquals("1 validation error detected: Value at 'username' failed to satisfy constraint: "
                + "Member must have length less than or equal to 128", violations("us-east-1_A", "😀".repeat(129)));
    }

    @Test
    void emptyValuesBreakLengthAndPattern() {
        assertEquals("2 validation errors detected: Value '' at 'userPoolId' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1; Value '' at 'userPoolId' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+", violations("", "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ælfrida", "josé", "user@example.com", "+15555550100", "名前", "a.b-c_d", "€$", "x\u0301"})
    void usernamesOfLettersMarksSymbolsNumbersAndPunctuationAreValid(String username) {
        valid("us-east-1_A", username);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "tab\tname", "line\nbreak", "nul\u0000", "\u007f", "zero\u200bwidth"})
    void usernamesWithSpacesOrControlCharactersAreInvalid(String username) {
        violations("us-east-1_A", username);
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "_abc", "us-east-1_", "us east-1_A", "us-east-1_a-b", "ü_A", "us-east-1_Ä"})
    void poolIdsOutsideThePatternAreInvalid(String poolId) {
        violations(poolId, "alice");
    }
}
