package dev.idpgateway.auth;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Requests signed by the AWS SDK's own SigV4 signer, as a real Cognito client would send them. */
public final class SdkSigning {
    static final String REGION = "us-east-1";
    static final String SERVICE = "cognito-idp";
    static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
    static final String ADMIN_DISABLE_USER_BODY = "{\"UserPoolId\":\"us-east-1_PoolA\",\"Username\":\"alice\"}";
    static final String AWS_HOST = "cognito-idp." + REGION + ".amazonaws.com";
    private static final URI AWS_ENDPOINT = URI.create("https://" + AWS_HOST + "/");

    private SdkSigning() {
    }

    static SignedRequest adminDisableUser(String accessKeyId, String secret, Instant signedAt) {
        return sign(accessKeyId, secret, signedAt, REGION, SERVICE, ADMIN_DISABLE_USER_BODY);
    }

    static SignedRequest sign(String accessKeyId, String secret, Instant signedAt, String region, String service,
                              String body) {
        SdkHttpRequest signed = signHttp(AWS_ENDPOINT, "AdminDisableUser", accessKeyId, secret, signedAt, region,
                service, body);
        return signedRequest(signed, body);
    }

    /**
     * AdminDisableUser as a minimal signer sends it: the header {@code name} is left out of the signature and
     * set to {@code value} afterwards, as a replay that swaps an unsigned header would send it.
     */
    static SignedRequest adminDisableUserWithUnsigned(String name, String value) {
        SdkHttpRequest signed = sign(jsonRequest(AWS_ENDPOINT, "AdminDisableUser").removeHeader(name).build(),
                ADMIN_DISABLE_USER_BODY.getBytes(StandardCharsets.UTF_8), TestCredentials.ACCOUNT_SERVICE_KEY,
                TestCredentials.ACCOUNT_SERVICE_SECRET, NOW, REGION, SERVICE);
        return withHeader(signedRequest(signed, ADMIN_DISABLE_USER_BODY), name, value);
    }

    /** An AWS JSON 1.1 request to {@code endpoint} for {@code operation}, signed as the SDK signs it. */
    public static SdkHttpRequest signHttp(URI endpoint, String operation, String accessKeyId, String secret,
                                          Instant signedAt, String region, String service, String body) {
        return sign(jsonRequest(endpoint, operation).build(), body.getBytes(StandardCharsets.UTF_8), accessKeyId,
                secret, signedAt, region, service);
    }

    /** An unsigned AWS JSON 1.1 request to {@code endpoint} for {@code operation}, to change before signing. */
    public static SdkHttpRequest.Builder jsonRequest(URI endpoint, String operation) {
        return SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
    }

    /** Any request, with a body of any bytes (even invalid UTF-8), signed as the SDK signs it. */
    public static SdkHttpRequest sign(SdkHttpRequest request, byte[] body, String accessKeyId, String secret,
                                      Instant signedAt, String region, String service) {
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))).request();
    }

    private static SignedRequest signedRequest(SdkHttpRequest signed, String body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        signed.forEachHeader((name, values) -> values.forEach(value -> headers.add(name, value)));
        return new SignedRequest("POST", signed.encodedPath(), null, headers, Buffer.buffer(body));
    }

    /** The same request with one header replaced; the signature stays as it was. */
    static SignedRequest withHeader(SignedRequest request, String name, String value) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers()).set(name, value);
        return new SignedRequest(request.method(), request.path(), request.rawQuery(), headers, request.body());
    }

    static SignedRequest withoutHeader(SignedRequest request, String name) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers()).remove(name);
        return new SignedRequest(request.method(), request.path(), request.rawQuery(), headers, request.body());
    }

    static SignedRequest withBody(SignedRequest request, String body) {
        return new SignedRequest(request.method(), request.path(), request.rawQuery(), request.headers(),
                Buffer.buffer(body));
    }
}
