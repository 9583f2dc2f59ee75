package dev.idpgateway.protocol;

/**
 * The AWS errors this gateway answers with. The live Cognito service answers 400 for every client
 * error (throttling included) and 500 only for InternalErrorException, whatever the model says.
 */
public enum ErrorCode {
    // Modelled errors of the Cognito operations.
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400, "Resource not found."),
    INVALID_PARAMETER("InvalidParameterException", 400, "Invalid parameter."),
    TOO_MANY_REQUESTS("TooManyRequestsException", 400, "Rate exceeded"),
    USER_NOT_FOUND("UserNotFoundException", 400, "User does not exist."),
    INTERNAL_ERROR("InternalErrorException", 500, "Internal server error. Retry the request."),

    // Errors common to every AWS JSON 1.1 service.
    UNKNOWN_OPERATION("UnknownOperationException", 400, "Unknown operation."),
    SERIALIZATION("SerializationException", 400, "The request body could not be read."),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 400,
            "Request is missing Authentication Token"),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400, "The request signature is incomplete."),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400,
            "The security token included in the request is invalid."),
    INVALID_SIGNATURE("InvalidSignatureException", 400,
            "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. "
                    + "Consult the service documentation for details."),
    ACCESS_DENIED("AccessDeniedException", 400, "Access denied.");

    private final String type;
    private final int status;
    private final String defaultMessage;

    ErrorCode(String type, int status, String defaultMessage) {
        this.type = type;
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    /** The bare error name sent as {@code __type} and {@code x-amzn-ErrorType}. */
    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** An exception for this error with its default message. */
    public AwsException exception() {
        return new AwsException(this, defaultMessage);
    }

    public AwsException exception(String message) {
        return new AwsException(this, message);
    }
}
