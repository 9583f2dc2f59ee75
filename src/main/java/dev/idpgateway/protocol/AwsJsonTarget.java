package dev.idpgateway.protocol;

/** The protocol headers of an AWS JSON 1.1 request: which operation, in which encoding. */
public final class AwsJsonTarget {
    public static final String SERVICE_PREFIX = "AWSCognitoIdentityProviderService.";
    private static final String JSON_11 = "application/x-amz-json-1.1";

    private AwsJsonTarget() {
    }

    /**
     * @return the operation name named by {@code X-Amz-Target}
     * @throws AwsException UnknownOperationException when the header is missing or names another service
     */
    public static String operationName(String target) {
        if (target == null || !target.startsWith(SERVICE_PREFIX) || target.length() == SERVICE_PREFIX.length()) {
            throw ErrorCode.UNKNOWN_OPERATION.exception();
        }
        return target.substring(SERVICE_PREFIX.length());
    }

    /** @throws AwsException SerializationException unless the body is declared as AWS JSON 1.1 */
    public static void requireJson11(String contentType) {
        if (contentType == null) {
            throw ErrorCode.SERIALIZATION.exception("Missing Content-Type: expected " + JSON_11 + ".");
        }
        // What the SDKs send: an exact match skips the case-insensitive compare, which showed in profiles.
        if (contentType.equals(JSON_11)) {
            return;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
        if (!mediaType.equalsIgnoreCase(JSON_11)) {
            throw ErrorCode.SERIALIZATION.exception("Unsupported Content-Type: expected " + JSON_11 + ".");
        }
    }
}
