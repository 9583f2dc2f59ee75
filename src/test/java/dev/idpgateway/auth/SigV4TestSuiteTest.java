package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The official AWS SigV4 test-suite vectors under src/test/resources/sigv4 (see its README). */
class SigV4TestSuiteTest {
    private static final String SUITE = "/sigv4/aws-sig-v4-test-suite/";
    private static final Credentials SUITE_CREDENTIALS = TestCredentials.parse("""
            principals:
              - name: test-suite
                accessKeys: [{id: AKIDEXAMPLE, secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}]
                policy: {Statement: {Effect: Allow, Action: "*", Resource: "*"}}
            """);
    private static final SigV4Verifier VERIFIER = new SigV4Verifier(SUITE_CREDENTIALS, "us-east-1", "service",
            SigningPolicy.SIGV4_MINIMUM, Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC));

    static List<String> vectors() {
        return new String(TestCredentials.resource(SUITE + "vectors.txt"), StandardCharsets.UTF_8).lines().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void computesThePublishedCanonicalRequestAndStringToSign(String vector) {
        SignedRequest request = load(vector);
        AuthorizationHeader authorization = AuthorizationHeader.parse(request.headers().get("Authorization"));

        assertEquals(file(vector, "creq"), SigV4Verifier.canonicalRequest(request, authorization));
        assertEquals(file(vector, "sts"), VERIFIER.stringToSign(request, authorization, "20150830T123600Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesThePublishedSignature(String vector) {
        Caller caller = VERIFIER.authenticate(load(vector));

        assertEquals("test-suite", caller.name());
        assertEquals("AKIDEXAMPLE", caller.accessKeyId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void rejectsThePublishedSignatureWithOneCharacterChanged(String vector) {
        SignedRequest request = load(vector);
        String authorization = request.headers().get("Authorization");
        char last = authorization.charAt(authorization.length() - 1);
        String tampered = authorization.substring(0, authorization.length() - 1) + (last == '0' ? '1' : '0');

        AwsException e = assertThrows(AwsException.class,
                () -> VERIFIER.authenticate(SdkSigning.withHeader(request, "Authorization", tampered)));
        assertEquals(ErrorCode.INVALID_SIGNATURE, e.code());
        assertEquals(ErrorCode.INVALID_SIGNATURE.defaultMessage(), e.getMessage());
    }

    @Test
    void refusesAValidSignatureMadeWithASessionToken() {
        AwsException e = assertThrows(AwsException.class,
                () -> VERIFIER.authenticate(load("post-sts-token/post-sts-header-before")));

        assertEquals(ErrorCode.UNRECOGNIZED_CLIENT, e.code());
        assertEquals("Temporary credentials (X-Amz-Security-Token) are not supported by this gateway: "
                + "sign with a long-term access key from its credentials file.", e.getMessage());
    }

    /** The .req file as the HTTP layer would hand it over, plus the .authz file as its Authorization header. */
    private static SignedRequest load(String vector) {
        List<String> lines = Arrays.asList(file(vector, "req").split("\n", -1));
        String requestLine = lines.get(0);
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/1.1"));
        int question = target.indexOf('?');
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        int line = 1;
        for (; line < lines.size() && !lines.get(line).isEmpty(); line++) {
            String header = lines.get(line);
            int colon = header.indexOf(':');
            headers.add(header.substring(0, colon), header.substring(colon + 1));
        }
        headers.add("Authorization", file(vector, "authz"));
        String body = line + 1 < lines.size() ? String.join("\n", lines.subList(line + 1, lines.size())) : "";
        return new SignedRequest(method,
                question < 0 ? target : target.substring(0, question),
                question < 0 ? null : target.substring(question + 1),
                headers, Buffer.buffer(body));
    }

    private static String file(String vector, String extension) {
        String name = vector.substring(vector.lastIndexOf('/') + 1);
        return new String(TestCredentials.resource(SUITE + vector + "/" + name + "." + extension), StandardCharsets.UTF_8);
    }
}
