package dev.idpgateway.cli;

/** A command line that cannot be followed; the message says why. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
