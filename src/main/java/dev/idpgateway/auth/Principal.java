package dev.idpgateway.auth;

/** A named caller from the credentials file and its policy. Holds no secret. */
public record Principal(String name, PolicyDocument policy) {
}
