package dev.idpgateway.auth;

/** The credentials file cannot be used. The message names the file and the place, never a secret. */
public final class CredentialsFileException extends RuntimeException {
    public CredentialsFileException(String message) {
        super(message, null, false, false);
    }
}
