package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * Server-side AWS Signature Version 4 check of header-signed requests. Pure computation on the
 * calling thread (an event loop): no I/O, no locks beyond the signing-key cache.
 *
 * <p>The checks run cheapest first: header syntax, date, scope, signed headers (SigV4's own, then the
 * {@link SigningPolicy}'s), clock window, key lookup, and only then the signature itself, compared in
 * constant time.
 */
public final class SigV4Verifier implements RequestAuthenticator {
    /** Enough signing keys for every access key over two days (a key per secret per date). */
    public static final long DEFAULT_SIGNING_KEY_CACHE_SIZE = 10_000;

    private final CredentialSource credentials;
    private final Set<String> regions;
    private final String service;
    private final SigningPolicy policy;
    private final Clock clock;
    private final SigningKeyCache signingKeys;

    /**
     * @param credentials the access keys in force (a {@link ReloadingCredentialStore} in production)
     * @param region      the only region credential scopes may name
     * @param service     the only service credential scopes may name: {@code cognito-idp} in production
     * @param policy      which headers a signature must cover and which hosts it may name
     * @param clock       the server clock that X-Amz-Date must be within 5 minutes of
     */
    public SigV4Verifier(CredentialSource credentials, String region, String service, SigningPolicy policy,
                         Clock clock) {
        this(credentials, Set.of(region), service, policy, clock, DEFAULT_SIGNING_KEY_CACHE_SIZE);
    }

    /** @param regions the regions credential scopes may name (IDP_REGION), each verified with its own signing key */
    public SigV4Verifier(CredentialSource credentials, Set<String> regions, String service, SigningPolicy policy,
                         Clock clock, long signingKeyCacheSize) {
        this.credentials = Objects.requireNonNull(credentials);
        this.regions = Set.copyOf(regions);
        this.service = Objects.requireNonNull(service);
        this.policy = Objects.requireNonNull(policy);
        this.clock = Objects.requireNonNull(clock);
        this.signingKeys = new SigningKeyCache(signingKeyCacheSize);
    }

    @Override
    public Caller authenticate(SignedRequest request) {
        MultiMap headers = request.headers();
        String authorizationValue = headers.get("Authorization");
        if (authorizationValue == null) {
            throw ErrorCode.MISSING_AUTHENTICATION_TOKEN.exception();
        }
        AuthorizationHeader authorization = AuthorizationHeader.parse(authorizationValue);
        String amzDate = headers.get("X-Amz-Date");
        long signedAt = AmzDate.parseEpochSeconds(amzDate);
        if (headers.contains("X-Amz-Security-Token")) {
            throw ErrorCode.UNRECOGNIZED_CLIENT.exception("Temporary credentials (X-Amz-Security-Token) are not "
                    + "supported by this gateway: sign with a long-term access key from its credentials file.");
        }
        checkScope(authorization, amzDate);
        checkSignedHeaders(authorization);
        policy.check(authorization, headers);
        AmzDate.checkWithinSkew(amzDate, signedAt, clock.instant());
        AccessKey key = credentials.current().find(authorization.accessKeyId());
        if (key == null) {
            throw ErrorCode.UNRECOGNIZED_CLIENT.exception();
        }
        byte[] expected = Digests.hexBytes(signature(request, authorization, amzDate, key.secret()));
        byte[] provided = authorization.signature().getBytes(StandardCharsets.ISO_8859_1);
        if (!MessageDigest.isEqual(expected, provided)) {
            throw ErrorCode.INVALID_SIGNATURE.exception();
        }
        return new AuthenticatedCaller(key.principal(), key.id());
    }

    /** The canonical request this verifier computes; exposed to compare with the official test vectors. */
    static String canonicalRequest(SignedRequest request, AuthorizationHeader authorization) {
        return CanonicalRequest.build(request, authorization, Digests.hex(Digests.sha256(bodyBytes(request.body()))));
    }

    String stringToSign(SignedRequest request, AuthorizationHeader authorization, String amzDate) {
        byte[] canonicalRequest = canonicalRequest(request, authorization).getBytes(StandardCharsets.UTF_8);
        return AuthorizationHeader.ALGORITHM + '\n' + amzDate + '\n'
                + authorization.date() + '/' + authorization.region() + '/' + service + "/aws4_request\n"
                + Digests.hex(Digests.sha256(canonicalRequest));
    }

    private byte[] signature(SignedRequest request, AuthorizationHeader authorization, String amzDate, String secret) {
        byte[] signingKey = signingKeys.signingKey(secret, authorization.date(), authorization.region(), service);
        return Digests.hmacSha256(signingKey, stringToSign(request, authorization, amzDate));
    }

    private void checkScope(AuthorizationHeader authorization, String amzDate) {
        if (!authorization.terminator().equals("aws4_request")) {
            throw invalid("Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + authorization.terminator() + "'.");
        }
        if (!regions.contains(authorization.region())) {
            throw invalid("Credential should be scoped to a valid region, not '" + authorization.region() + "'.");
        }
        if (!authorization.service().equals(service)) {
            throw invalid("Credential should be scoped to correct service: '" + service + "'.");
        }
        if (authorization.date().length() != 8 || !amzDate.startsWith(authorization.date())) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + authorization.date() + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
    }

    /**
     * Without these two signed, a captured signature could be replayed to another host or at another time.
     * The Host wording is the live service's since it took HTTP/2 (scratchstack-aws-signature records it).
     */
    private static void checkSignedHeaders(AuthorizationHeader authorization) {
        if (!authorization.signedHeaders().contains("host")) {
            throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (!authorization.signedHeaders().contains("x-amz-date")) {
            throw invalid("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
        }
    }

    private static byte[] bodyBytes(Buffer body) {
        return body == null ? new byte[0] : body.getBytes();
    }

    private static AwsException invalid(String message) {
        return ErrorCode.INVALID_SIGNATURE.exception(message);
    }
}
