package dev.idpgateway.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Credentials the tests sign with. */
final class TestCredentials {
    static final String ACCOUNT_SERVICE_KEY = "AKIDACCOUNTSERVICE01";
    static final String ACCOUNT_SERVICE_SECRET = "account-service-secret-one";
    static final String ACCOUNT_SERVICE_SECOND_KEY = "AKIDACCOUNTSERVICE02";
    static final String ACCOUNT_SERVICE_SECOND_SECRET = "account-service-secret-two";

    private TestCredentials() {
    }

    /** src/test/resources/auth/credentials.yaml */
    static Credentials sample() {
        return CredentialsFile.parse(resource("/auth/credentials.yaml"), "credentials.yaml");
    }

    static Credentials parse(String yaml) {
        return CredentialsFile.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
    }

    static byte[] resource(String name) {
        try (InputStream in = TestCredentials.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
