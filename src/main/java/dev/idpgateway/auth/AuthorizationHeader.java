package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;

import java.util.List;

/**
 * A parsed SigV4 Authorization header:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request, SignedHeaders=a;b, Signature=hex}.
 *
 * @param signedHeaderList the SignedHeaders value as sent, which the canonical request repeats verbatim
 */
record AuthorizationHeader(String accessKeyId, String date, String region, String service, String terminator,
                           String signedHeaderList, List<String> signedHeaders, String signature) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** @throws AwsException IncompleteSignatureException when a part is missing or malformed */
    static AuthorizationHeader parse(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        String algorithm = space < 0 ? value : value.substring(0, space);
        if (!algorithm.equals(ALGORITHM)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        String parameters = space < 0 ? "" : value.substring(space + 1);
        for (String part : parameters.split(",")) {
            String component = part.strip();
            if (component.isEmpty()) {
                continue;
            }
            int equals = component.indexOf('=');
            if (equals < 0) {
                throw incomplete("'" + component + "' not a valid key=value pair (missing equal-sign) in Authorization header.");
            }
            String name = component.substring(0, equals);
            String content = component.substring(equals + 1);
            switch (name) {
                case "Credential" -> credential = onlyOnce(credential, name, content);
                case "SignedHeaders" -> signedHeaders = onlyOnce(signedHeaders, name, content);
                case "Signature" -> signature = onlyOnce(signature, name, content);
                default -> throw incomplete("Authorization header has an unsupported parameter: '" + name + "'.");
            }
        }
        requireAll(credential, signedHeaders, signature);
        String[] scope = credential.split("/", -1);
        if (scope.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, "
                    + "e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        for (String element : scope) {
            if (element.isEmpty()) {
                throw incomplete("Credential must not have an empty element, got '" + credential + "'");
            }
        }
        List<String> headerNames = List.of(signedHeaders.split(";", -1));
        if (headerNames.contains("")) {
            throw incomplete("SignedHeaders must not have an empty element, got '" + signedHeaders + "'");
        }
        return new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], scope[4],
                signedHeaders, headerNames, signature);
    }

    private static String onlyOnce(String earlier, String name, String content) {
        if (earlier != null) {
            throw incomplete("Authorization header has the '" + name + "' parameter more than once.");
        }
        return content;
    }

    /** Names every missing parameter at once, in the order and words of the live service. */
    private static void requireAll(String credential, String signedHeaders, String signature) {
        StringBuilder missing = new StringBuilder();
        appendIfMissing(missing, credential, "Credential");
        appendIfMissing(missing, signature, "Signature");
        appendIfMissing(missing, signedHeaders, "SignedHeaders");
        if (missing.length() > 0) {
            throw incomplete(missing.toString().strip());
        }
    }

    private static void appendIfMissing(StringBuilder missing, String value, String name) {
        if (value == null || value.isEmpty()) {
            missing.append("Authorization header requires '").append(name).append("' parameter. ");
        }
    }

    private static AwsException incomplete(String message) {
        return ErrorCode.INCOMPLETE_SIGNATURE.exception(message);
    }
}
