package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static dev.idpgateway.auth.SdkSigning.NOW;
import static dev.idpgateway.auth.TestCredentials.ACCOUNT_SERVICE_KEY;
import static dev.idpgateway.auth.TestCredentials.ACCOUNT_SERVICE_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests signed by the AWS SDK's own signer for cognito-idp, and every way a request can fail. */
class SigV4VerifierTest {
    private final SigV4Verifier verifier = verifierAt(NOW);

    private static SigV4Verifier verifierAt(Instant now) {
        return verifier(SigningPolicy.awsJson(Set.of()), now);
    }

    private static SigV4Verifier verifier(SigningPolicy policy, Instant now) {
        return new SigV4Verifier(TestCredentials.sample(), SdkSigning.REGION, SdkSigning.SERVICE, policy,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SignedRequest signedNow() {
        return SdkSigning.adminDisableUser(ACCOUNT_SERVICE_KEY, ACCOUNT_SERVICE_SECRET, NOW);
    }

    @Test
    void acceptsARequestSignedByTheSdk() {
        Caller caller = verifier.authenticate(signedNow());

        assertEquals("account-service", caller.name());
        assertEquals(ACCOUNT_SERVICE_KEY, caller.accessKeyId());
        assertTrue(caller.isAllowed("cognito-idp:AdminDisableUser", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_PoolA"));
    }

    @Test
    void acceptsEitherKeyOfAPrincipal() {
        Caller caller = verifier.authenticate(SdkSigning.adminDisableUser(
                TestCredentials.ACCOUNT_SERVICE_SECOND_KEY, TestCredentials.ACCOUNT_SERVICE_SECOND_SECRET, NOW));

        assertEquals("account-service", caller.name());
        assertEquals(TestCredentials.ACCOUNT_SERVICE_SECOND_KEY, caller.accessKeyId());
    }

    @Test
    void acceptsTheSameRequestAgainFromTheSigningKeyCache() {
        verifier.authenticate(signedNow());

        assertEquals("account-service", verifier.authenticate(signedNow()).name());
    }

    @Test
    void acceptsAClockExactlyFiveMinutesOffEitherWay() {
        verifierAt(NOW.plus(Duration.ofMinutes(5))).authenticate(signedNow());
        verifierAt(NOW.minus(Duration.ofMinutes(5))).authenticate(signedNow());
    }

    @Test
    void rejectsAWrongSecret() {
        assertFails(ErrorCode.INVALID_SIGNATURE, ErrorCode.INVALID_SIGNATURE.defaultMessage(),
                () -> verifier.authenticate(SdkSigning.adminDisableUser(ACCOUNT_SERVICE_KEY, "not-the-secret", NOW)));
    }

    @Test
    void rejectsASignatureSixMinutesOld() {
        SignedRequest request = SdkSigning.adminDisableUser(ACCOUNT_SERVICE_KEY, ACCOUNT_SERVICE_SECRET,
                Instant.parse("2026-03-14T09:20:53Z"));

        assertFails(ErrorCode.INVALID_SIGNATURE, "Signature expired: 20260314T092053Z is now earlier than "
                + "20260314T092153Z (20260314T092653Z - 5 min.)", () -> verifier.authenticate(request));
    }

    @Test
    void rejectsASignatureSixMinutesAhead() {
        SignedRequest request = SdkSigning.adminDisableUser(ACCOUNT_SERVICE_KEY, ACCOUNT_SERVICE_SECRET,
                Instant.parse("2026-03-14T09:32:53Z"));

        assertFails(ErrorCode.INVALID_SIGNATURE, "Signature not yet current: 20260314T093253Z is still later than "
                + "20260314T093153Z (20260314T092653Z + 5 min.)", () -> verifier.authenticate(request));
    }

    @Test
    void rejectsATamperedBodyUnderAValidSignature() {
        SignedRequest tampered = SdkSigning.withBody(signedNow(),
                "{\"UserPoolId\":\"us-east-1_PoolB\",\"Username\":\"alice\"}");

        assertFails(ErrorCode.INVALID_SIGNATURE, ErrorCode.INVALID_SIGNATURE.defaultMessage(),
                () -> verifier.authenticate(tampered));
    }

    @Test
    void rejectsATamperedSignedHeader() {
        SignedRequest tampered = SdkSigning.withHeader(signedNow(), "X-Amz-Target",
                "AWSCognitoIdentityProviderService.AdminDeleteUser");

        assertFails(ErrorCode.INVALID_SIGNATURE, ErrorCode.INVALID_SIGNATURE.defaultMessage(),
                () -> verifier.authenticate(tampered));
    }

    @Test
    void asksForAuthenticationWithoutAnAuthorizationHeader() {
        assertFails(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token",
                () -> verifier.authenticate(SdkSigning.withoutHeader(signedNow(), "Authorization")));
    }

    @Test
    void namesEveryMissingPartOfTheAuthorizationHeader() {
        assertIncomplete("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date",
                "Authorization header requires 'Credential' parameter. "
                        + "Authorization header requires 'Signature' parameter.");
        assertIncomplete("AWS4-HMAC-SHA256", "Authorization header requires 'Credential' parameter. "
                + "Authorization header requires 'Signature' parameter. "
                + "Authorization header requires 'SignedHeaders' parameter.");
    }

    @Test
    void rejectsMalformedAuthorizationHeaders() {
        assertIncomplete("Bearer abc.def", "Unsupported AWS 'algorithm': 'Bearer'.");
        assertIncomplete("AWS4-HMAC-SHA256 Credential=AKID/20260314/us-east-1/cognito-idp, SignedHeaders=host;x-amz-date, Signature=00",
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
                        + "got 'AKID/20260314/us-east-1/cognito-idp'");
        assertIncomplete("AWS4-HMAC-SHA256 Credential, SignedHeaders=host;x-amz-date, Signature=00",
                "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header.");
        assertIncomplete("AWS4-HMAC-SHA256 Credential=A/20260314/us-east-1/cognito-idp/aws4_request, "
                        + "Credential=B/20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
                "Authorization header has the 'Credential' parameter more than once.");
    }

    @Test
    void rejectsAMissingOrMalformedXAmzDate() {
        assertFails(ErrorCode.INCOMPLETE_SIGNATURE, "Authorization header requires existence of a 'X-Amz-Date' header.",
                () -> verifier.authenticate(SdkSigning.withoutHeader(signedNow(), "X-Amz-Date")));
        assertFails(ErrorCode.INCOMPLETE_SIGNATURE, "Date must be in ISO-8601 'basic format'. Got '2026-03-14T09:26:53Z'. "
                        + "See http://en.wikipedia.org/wiki/ISO_8601",
                () -> verifier.authenticate(SdkSigning.withHeader(signedNow(), "X-Amz-Date", "2026-03-14T09:26:53Z")));
    }

    @Test
    void rejectsAnUnknownAccessKey() {
        assertFails(ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.",
                () -> verifier.authenticate(SdkSigning.adminDisableUser("AKIDNOBODYKNOWS00000", "whatever", NOW)));
    }

    @Test
    void rejectsAnotherRegion() {
        SignedRequest request = SdkSigning.sign(ACCOUNT_SERVICE_KEY, ACCOUNT_SERVICE_SECRET, NOW, "eu-west-1",
                SdkSigning.SERVICE, SdkSigning.ADMIN_DISABLE_USER_BODY);

        assertFails(ErrorCode.INVALID_SIGNATURE, "Credential should be scoped to a valid region, not 'eu-west-1'.",
                () -> verifier.authenticate(request));
    }

    @Test
    void rejectsAnotherService() {
        SignedRequest request = SdkSigning.sign(ACCOUNT_SERVICE_KEY, ACCOUNT_SERVICE_SECRET, NOW, SdkSigning.REGION,
                "cognito-identity", SdkSigning.ADMIN_DISABLE_USER_BODY);

        assertFails(ErrorCode.INVALID_SIGNATURE, "Credential should be scoped to correct service: 'cognito-idp'.",
                () -> verifier.authenticate(request));
    }

    @Test
    void rejectsAScopeDateOtherThanTheRequestDate() {
        SignedRequest request = signedNow();
        String otherDay = request.headers().get("Authorization").replace("/20260314/", "/20260313/");

        assertFails(ErrorCode.INVALID_SIGNATURE, "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                        + "version of date from HTTP: '20260313' != '20260314', from '20260314T092653Z'.",
                () -> verifier.authenticate(SdkSigning.withHeader(request, "Authorization", otherDay)));
    }

    @Test
    void requiresHostAndXAmzDateToBeSigned() {
        String withoutHost = "AWS4-HMAC-SHA256 Credential=" + ACCOUNT_SERVICE_KEY
                + "/20260314/us-east-1/cognito-idp/aws4_request, SignedHeaders=x-amz-date, Signature=00";
        String withoutDate = withoutHost.replace("SignedHeaders=x-amz-date", "SignedHeaders=host");

        assertFails(ErrorCode.INVALID_SIGNATURE, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
                () -> verifier.authenticate(SdkSigning.withHeader(signedNow(), "Authorization", withoutHost)));
        assertFails(ErrorCode.INVALID_SIGNATURE, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
                () -> verifier.authenticate(SdkSigning.withHeader(signedNow(), "Authorization", withoutDate)));
    }

    @Test
    void refusesAnUnsignedTargetSoThatAReadCannotBeReplayedAsAWrite() {
        SignedRequest replayed = SdkSigning.adminDisableUserWithUnsigned("X-Amz-Target",
                "AWSCognitoIdentityProviderService.AdminDisableUser");

        assertFails(ErrorCode.INVALID_SIGNATURE, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
                () -> verifier.authenticate(replayed));
    }

    @Test
    void refusesAnUnsignedContentType() {
        SignedRequest request = SdkSigning.adminDisableUserWithUnsigned("Content-Type", "application/x-amz-json-1.1");

        assertFails(ErrorCode.INVALID_SIGNATURE, "'Content-Type' must be a 'SignedHeader' in the AWS Authorization.",
                () -> verifier.authenticate(request));
    }

    @Test
    void refusesAnyUnsignedXAmzHeader() {
        SignedRequest request = SdkSigning.adminDisableUserWithUnsigned("X-Amz-User-Agent", "aws-sdk-js/3.0.0");

        assertFails(ErrorCode.INVALID_SIGNATURE, "'x-amz-user-agent' must be a 'SignedHeader' in the AWS Authorization.",
                () -> verifier.authenticate(request));
    }

    @Test
    void acceptsAnUnsignedTraceIdWhichTheSdksLeaveOut() {
        SignedRequest request = SdkSigning.adminDisableUserWithUnsigned("X-Amzn-Trace-Id",
                "Root=1-5759e988-bd862e3fe1be46a994272793");

        assertEquals("account-service", verifier.authenticate(request).name());
    }

    @Test
    void theSignatureMathAloneAcceptsWhatThePolicyRefuses() {
        SigV4Verifier minimum = verifier(SigningPolicy.SIGV4_MINIMUM, NOW);
        SignedRequest replayed = SdkSigning.adminDisableUserWithUnsigned("X-Amz-Target",
                "AWSCognitoIdentityProviderService.AdminDisableUser");

        assertEquals("account-service", minimum.authenticate(replayed).name());
    }

    @Test
    void acceptsAListedHostInAnyCase() {
        SigV4Verifier bound = verifier(SigningPolicy.awsJson(Set.of("idp.internal:8443", SdkSigning.AWS_HOST.toUpperCase())), NOW);

        assertEquals("account-service", bound.authenticate(signedNow()).name());
    }

    @Test
    void refusesAHostThatIsNotListed() {
        SigV4Verifier bound = verifier(SigningPolicy.awsJson(Set.of("idp.internal", "idp.internal:8443")), NOW);

        assertFails(ErrorCode.INVALID_SIGNATURE, "The request was signed for a Host that this endpoint does not serve.",
                () -> bound.authenticate(signedNow()));
    }

    @Test
    void refusesTemporaryCredentials() {
        SignedRequest request = SdkSigning.withHeader(signedNow(), "X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLE");

        AwsException e = assertThrows(AwsException.class, () -> verifier.authenticate(request));
        assertEquals(ErrorCode.UNRECOGNIZED_CLIENT, e.code());
        assertTrue(e.getMessage().contains("Temporary credentials (X-Amz-Security-Token) are not supported"));
    }

    @Test
    void neverPrintsASecret() {
        Credentials credentials = TestCredentials.sample();
        AccessKey key = credentials.find(ACCOUNT_SERVICE_KEY);

        assertFalse(key.toString().contains(ACCOUNT_SERVICE_SECRET));
        assertFalse(credentials.toString().contains(ACCOUNT_SERVICE_SECRET));
        assertFalse(new SigningKeyCache.Scope(ACCOUNT_SERVICE_SECRET, "20260314", "us-east-1", "cognito-idp")
                .toString().contains(ACCOUNT_SERVICE_SECRET));
        assertFalse(verifier.authenticate(signedNow()).toString().contains(ACCOUNT_SERVICE_SECRET));
    }

    private void assertIncomplete(String authorization, String message) {
        assertFails(ErrorCode.INCOMPLETE_SIGNATURE, message,
                () -> verifier.authenticate(SdkSigning.withHeader(signedNow(), "Authorization", authorization)));
    }

    private static void assertFails(ErrorCode code, String message, Executable executable) {
        AwsException e = assertThrows(AwsException.class, executable);
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(message, e.getMessage());
    }
}
