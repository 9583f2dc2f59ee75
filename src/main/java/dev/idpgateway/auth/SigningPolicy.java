package dev.idpgateway.auth;

import dev.idpgateway.protocol.ErrorCode;
import io.vertx.core.MultiMap;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a signature must cover beyond SigV4's own minimum (Host and X-Amz-Date, which the verifier
 * always requires), and which Host values it may name. A signature that leaves a header out lets a
 * captured request be replayed with that header changed: an AdminGetUser signed without
 * X-Amz-Target would replay as AdminDisableUser.
 *
 * <p>The refusals use the live service's wording for an unsigned required header,
 * {@code '<Header>' must be a 'SignedHeader' in the AWS Authorization.} (InvalidSignatureException;
 * as recorded from AWS by the scratchstack-aws-signature project, whose tests list it for
 * Content-Type and for x-amz-* headers).
 *
 * @param requiredHeaders header names that every signature must list, spelt as the error names them
 * @param amzHeadersSigned whether every {@code x-amz-*} header present must be signed ({@code x-amzn-*},
 *                         e.g. x-amzn-trace-id, is another prefix that the SDKs leave unsigned)
 * @param hosts            the Host values (lower case, host[:port]) a signature may name; empty: any
 */
public record SigningPolicy(List<String> requiredHeaders, boolean amzHeadersSigned, Set<String> hosts) {
    /** SigV4's minimum only, as the official test-suite vectors sign: for checking the signature math alone. */
    static final SigningPolicy SIGV4_MINIMUM = new SigningPolicy(List.of(), false, Set.of());

    private static final String AMZ_PREFIX = "x-amz-";

    public SigningPolicy {
        requiredHeaders = List.copyOf(requiredHeaders);
        hosts = hosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * AWS JSON 1.1 as every AWS SDK and the CLI sign it: Content-Type, X-Amz-Target and every x-amz-* header.
     *
     * @param hosts the accepted Host values (auth.hosts); empty: any
     */
    public static SigningPolicy awsJson(Collection<String> hosts) {
        return new SigningPolicy(List.of("Content-Type", "X-Amz-Target"), true, Set.copyOf(hosts));
    }

    /** @throws dev.idpgateway.protocol.AwsException InvalidSignatureException naming what is wrong */
    void check(AuthorizationHeader authorization, MultiMap headers) {
        List<String> signed = authorization.signedHeaders();
        for (String required : requiredHeaders) {
            requireSigned(signed, required, required);
        }
        if (amzHeadersSigned) {
            for (Map.Entry<String, String> header : headers) {
                String name = header.getKey();
                if (name.regionMatches(true, 0, AMZ_PREFIX, 0, AMZ_PREFIX.length())) {
                    requireSigned(signed, name, name.toLowerCase(Locale.ROOT));
                }
            }
        }
        if (!hosts.isEmpty()) {
            checkHost(headers.getAll("Host"));
        }
    }

    /** SignedHeaders are lower case (the canonical request needs them so); {@code name} may be spelt in any case. */
    private static void requireSigned(List<String> signed, String name, String displayName) {
        for (String signedName : signed) {
            if (signedName.equalsIgnoreCase(name)) {
                return;
            }
        }
        throw ErrorCode.INVALID_SIGNATURE.exception(
                "'" + displayName + "' must be a 'SignedHeader' in the AWS Authorization.");
    }

    /** The Host is signed, so the value sent is the value signed: it names the deployment the caller meant. */
    private void checkHost(List<String> values) {
        if (values.size() != 1 || !hosts.contains(values.get(0).strip().toLowerCase(Locale.ROOT))) {
            throw ErrorCode.INVALID_SIGNATURE.exception(
                    "The request was signed for a Host that this endpoint does not serve.");
        }
    }
}
