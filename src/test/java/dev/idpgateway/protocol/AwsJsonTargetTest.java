package dev.idpgateway.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AwsJsonTargetTest {
    @Test
    void namesTheOperation() {
        assertEquals("AdminDisableUser", AwsJsonTarget.operationName("AWSCognitoIdentityProviderService.AdminDisableUser"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "AdminDisableUser", "AWSCognitoIdentityProviderService.", "DynamoDB_20120810.GetItem"})
    void anythingElseIsAnUnknownOperation(String target) {
        AwsException e = assertThrows(AwsException.class, () -> AwsJsonTarget.operationName(target));
        assertEquals(ErrorCode.UNKNOWN_OPERATION, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-amz-json-1.1", "application/x-amz-json-1.1; charset=utf-8", "APPLICATION/X-AMZ-JSON-1.1"})
    void acceptsJson11(String contentType) {
        assertDoesNotThrow(() -> AwsJsonTarget.requireJson11(contentType));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"application/json", "application/x-amz-json-1.0", "text/plain", ""})
    void refusesOtherContentTypes(String contentType) {
        AwsException e = assertThrows(AwsException.class, () -> AwsJsonTarget.requireJson11(contentType));
        assertEquals(ErrorCode.SERIALIZATION, e.code());
    }
}
