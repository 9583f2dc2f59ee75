package dev.idpgateway.auth;

/** The outcome of evaluating an IAM-style policy for one action on one resource. */
public enum PolicyDecision {
    /** An Allow statement matched and no Deny statement did. */
    ALLOW,
    /** No statement allowed the request. */
    IMPLICIT_DENY,
    /** A Deny statement matched; it wins over every Allow. */
    EXPLICIT_DENY
}
