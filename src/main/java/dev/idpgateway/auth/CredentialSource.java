package dev.idpgateway.auth;

/** Gives the credentials in force right now; may change between calls (reloads). Never blocks. */
@FunctionalInterface
public interface CredentialSource {
    Credentials current();
}
