package dev.idpgateway.observability;

import dev.idpgateway.testing.FileReplacement;
import dev.idpgateway.testing.Polling;
import dev.idpgateway.cli.MainProcess;
import dev.idpgateway.dev.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real gateway processes fed a secret in every input - the Redis password in the URL (right and
 * wrong), the signing secret, a secret pasted into the credentials file as a field name and inside a
 * syntax error, a password in a URL the configuration rejects, the seed command's URL - driven through
 * start, readiness, signed and mis-signed requests and credential reloads: no secret appears in their
 * output or in any body they answer.
 */
class SecretsNotLoggedTest {
    private static final String REDIS_PASSWORD = "redis-pw-7f3a9c";
    private static final String WRONG_REDIS_PASSWORD = "wrong-pw-51d2e8";
    private static final String SIGNING_SECRET = "signing-secret-0c44b1";
    private static final String PASTED_SECRET = "pasted-secret-9e6d27";
    private static final String BROKEN_FILE_SECRET = "broken-secret-2a8f03";
    private static final String CONFIG_SECRET = "config-pw-88b1c4";
    private static final String SEED_SECRET = "seed-pw-3d7e90";
    private static final List<String> SECRETS = List.of(REDIS_PASSWORD, WRONG_REDIS_PASSWORD, SIGNING_SECRET,
            PASTED_SECRET, BROKEN_FILE_SECRET, CONFIG_SECRET, SEED_SECRET);
    private static final String ACCESS_KEY_ID = "AKIDSECRETSTEST";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String UNUSABLE_CREDENTIALS = "Credentials file unusable";
    /** The gateways' output, kept under target/ to read when this test fails. */
    private static final Path LOGS = Path.of("target", "secrets-not-logged");

    @TempDir
    Path work;
    private EmbeddedRedis redis;
    private final List<Process> processes = new ArrayList<>();
    /** Every health and error body the gateways answered. */
    private final List<String> bodies = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void noSecretReachesTheLogOrABody() throws Exception {
        redis = EmbeddedRedis.builder().serverArgs("--requirepass", REDIS_PASSWORD).start();
        Path credentials = work.resolve("credentials.yaml");
        Files.writeString(credentials, credentialsFile("secret: \"" + SIGNING_SECRET + "\""));
        Path config = work.resolve("gateway.yaml");
        // A short retry budget: the gateway with the wrong password answers its requests after it, not after 3 s.
        Files.writeString(config, "auth:\n  reloadInterval: 100ms\nredis:\n  retry:\n    budget: 500ms\n");

        // The three processes start at once: their JVMs' start-ups overlap instead of adding up.
        Process servingProcess = launchGateway("serving", "redis://default:" + REDIS_PASSWORD + "@127.0.0.1:" + redis.port(),
                credentials, config);
        Process refusedProcess = launchGateway("wrong-password", "redis://default:" + WRONG_REDIS_PASSWORD + "@127.0.0.1:" + redis.port(),
                credentials, config);
        Path seedError = work.resolve("seed.log");
        Process seed = start(MainProcess.builder("seed", "--pool", "us-east-1_Secrets", "--users", "1",
                "--redis-url", "redis://:" + SEED_SECRET + "@127.0.0.1:" + redis.port()), seedError);
        Gateway serving = served(servingProcess, "serving");
        Gateway refused = served(refusedProcess, "wrong-password");

        Polling.await("the gateway to be ready", PATIENCE, () -> HttpProbe.status(serving.management("/health/ready")) == 200);
        Polling.await("the wrong password to be reported", PATIENCE, () -> refused.logCount("authentication failed for user default") >= 1);
        String notReady = HttpProbe.body(refused.management("/health/ready"));
        assertTrue(notReady.contains("DOWN"), notReady);
        bodies.add(notReady);

        signedRequests(serving, "ResourceNotFoundException");
        signedRequests(refused, "InternalErrorException");

        // Reloads: a secret pasted as a field name of its own, then a syntax error right after a secret.
        FileReplacement.replace(credentials, credentialsFile("secret: \"" + SIGNING_SECRET + "\"\n        " + PASTED_SECRET + ": x"));
        Polling.await("the unknown field to be reported", PATIENCE, () -> serving.logCount(UNUSABLE_CREDENTIALS) == 1);
        FileReplacement.replace(credentials, credentialsFile("secret: \"" + BROKEN_FILE_SECRET + "\n      - ["));
        Polling.await("the broken file to be reported", PATIENCE, () -> serving.logCount(UNUSABLE_CREDENTIALS) == 2);
        signedRequests(serving, "ResourceNotFoundException");

        assertTrue(seed.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "seed did not exit");
        assertEquals(1, seed.exitValue(), Files.readString(seedError));

        serving.stop();
        refused.stop();
        for (Path log : List.of(serving.log(), refused.log(), seedError)) {
            assertNoSecret(log.toString(), Files.readString(log));
        }
        for (String body : bodies) {
            assertNoSecret("a response body", body);
        }
        String servingLog = Files.readString(serving.log());
        // The user info leaves the URL when the configuration loads (redis.username / redis.password hold it).
        assertTrue(servingLog.contains("redis://127.0.0.1:" + redis.port()), servingLog);
        assertTrue(servingLog.contains("principals[0].accessKeys[0]: unknown field at line 6, column 9"), servingLog);
        assertTrue(Files.readString(seedError).contains("seed failed against [redis://127.0.0.1:" + redis.port() + "]: authentication failed"),
                Files.readString(seedError));
    }

    @Test
    void aConfigurationErrorDoesNotQuoteTheRedisUrl() throws Exception {
        Path output = work.resolve("config-error.log");
        ProcessBuilder builder = MainProcess.builder("serve");
        builder.environment().put("IDP_AUTH", "none");
        builder.environment().put("IDP_REDIS_URL", "redis://127.0.0.1:6379,http://default:" + CONFIG_SECRET + "@cache:6379");
        Process rejected = start(builder, output);
        assertTrue(rejected.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the gateway did not exit");
        assertEquals(2, rejected.exitValue(), Files.readString(output));
        assertTrue(Files.readString(output).contains("configuration error: redis.url[1]: "), Files.readString(output));
        assertNoSecret(output.toString(), Files.readString(output));
    }

    /** A correctly signed request (answered {@code expected}), a mis-signed one and one with an unknown key. */
    private void signedRequests(Gateway gateway, String expected) {
        List<CognitoIdentityProviderClient> clients = List.of(client(gateway, ACCESS_KEY_ID, SIGNING_SECRET),
                client(gateway, ACCESS_KEY_ID, "not-" + SIGNING_SECRET), client(gateway, "AKIDUNKNOWN", SIGNING_SECRET));
        List<String> errors = new ArrayList<>();
        for (CognitoIdentityProviderClient client : clients) {
            try (client) {
                CognitoIdentityProviderException e = assertThrows(CognitoIdentityProviderException.class,
                        () -> client.adminDisableUser(r -> r.userPoolId("us-east-1_Missing").username("someone")));
                errors.add(e.awsErrorDetails().errorCode());
                bodies.add(e.awsErrorDetails().errorMessage());
            }
        }
        assertEquals(List.of(expected, "InvalidSignatureException", "UnrecognizedClientException"), errors);
    }

    private static CognitoIdentityProviderClient client(Gateway gateway, String accessKeyId, String secret) {
        return CognitoIdentityProviderClient.builder()
                .endpointOverride(gateway.api())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static String credentialsFile(String secretLine) {
        return """
                principals:
                  - name: secrets-test
                    accessKeys:
                      - id: %s
                        %s
                    policy:
                      Statement:
                        - Effect: Allow
                          Action: "cognito-idp:*"
                          Resource: "*"
                """.formatted(ACCESS_KEY_ID, secretLine);
    }

    private Process launchGateway(String name, String redisUrl, Path credentials, Path config) throws IOException {
        ProcessBuilder builder = MainProcess.builder("serve");
        builder.environment().put("IDP_CONFIG", config.toString());
        builder.environment().put("IDP_AUTH", "sigv4");
        builder.environment().put("IDP_CREDENTIALS", credentials.toString());
        builder.environment().put("IDP_HTTP_PORT", "0");
        builder.environment().put("IDP_MANAGEMENT_PORT", "0");
        builder.environment().put("IDP_REDIS_URL", redisUrl);
        builder.environment().put("IDP_LOG_FORMAT", "json");
        return start(builder, Files.createDirectories(LOGS).resolve(name + ".log"));
    }

    /** The gateway {@link #launchGateway} started as {@code name}, once it serves. */
    private static Gateway served(Process process, String name) {
        Path log = LOGS.resolve(name + ".log");
        return new Gateway(process, log, MainProcess.awaitPorts(process, log, PATIENCE));
    }

    private Process start(ProcessBuilder builder, Path output) throws IOException {
        Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        processes.add(process);
        return process;
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), where + " shows a secret:\n" + text);
        }
    }

    private record Gateway(Process process, Path log, MainProcess.Ports ports) {
        URI api() {
            return URI.create("http://127.0.0.1:" + ports.api());
        }

        URI management(String path) {
            return URI.create("http://127.0.0.1:" + ports.management() + path);
        }

        int logCount(String text) {
            try {
                return Files.readString(log).split(Pattern.quote(text), -1).length - 1;
            } catch (IOException e) {
                return 0;
            }
        }

        void stop() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the gateway did not stop");
        }
    }
}
