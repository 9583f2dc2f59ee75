package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;

/** Establishes who sent a request. Runs on the event loop: it must not block or do I/O. */
public interface RequestAuthenticator {
    /**
     * @return the verified caller
     * @throws AwsException MissingAuthenticationTokenException, IncompleteSignatureException,
     *                      UnrecognizedClientException or InvalidSignatureException
     */
    Caller authenticate(SignedRequest request);
}
