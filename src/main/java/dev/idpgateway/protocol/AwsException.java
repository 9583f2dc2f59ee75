package dev.idpgateway.protocol;

/**
 * An error that is answered to the caller as an AWS error body. It carries no stack trace: it is
 * an answer, not a fault, and rejected requests must stay cheap.
 */
public final class AwsException extends RuntimeException {
    private final ErrorCode code;

    public AwsException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
