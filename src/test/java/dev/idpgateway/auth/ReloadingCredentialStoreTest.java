package dev.idpgateway.auth;

import dev.idpgateway.testing.Polling;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.idpgateway.auth.SdkSigning.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Reloads of the credentials file laid out as Kubernetes mounts a Secret: a file behind a swapped symlink. */
class ReloadingCredentialStoreTest {
    private static final String OLD_KEY = "AKIDROTATIONOLD00001";
    private static final String OLD_SECRET = "old-secret-value-0001";
    private static final String NEW_KEY = "AKIDROTATIONNEW00002";
    private static final String NEW_SECRET = "new-secret-value-0002";

    @TempDir
    Path mount;
    private Vertx vertx;
    private Path file;
    private int generation;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        file = mount.resolve("credentials.yaml");
        Files.createSymbolicLink(file, Path.of("..data", "credentials.yaml"));
        log.start();
        ((Logger) LoggerFactory.getLogger(ReloadingCredentialStore.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(ReloadingCredentialStore.class)).detachAppender(log);
        await(vertx.close());
    }

    @Test
    void rotatesKeysWhileTheGatewayRuns() throws Exception {
        publish(keys(key(OLD_KEY, OLD_SECRET)));
        ReloadingCredentialStore store = await(ReloadingCredentialStore.start(vertx, file, Duration.ofMillis(20)));
        SigV4Verifier verifier = new SigV4Verifier(store, SdkSigning.REGION, SdkSigning.SERVICE,
                SigningPolicy.awsJson(Set.of()), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(OLD_KEY, verifier.authenticate(signed(OLD_KEY, OLD_SECRET)).accessKeyId());

        publish(keys(key(OLD_KEY, OLD_SECRET), key(NEW_KEY, NEW_SECRET)));
        Polling.await("the new key to be loaded", Duration.ofSeconds(10), () -> store.current().find(NEW_KEY) != null);
        assertEquals(OLD_KEY, verifier.authenticate(signed(OLD_KEY, OLD_SECRET)).accessKeyId());
        assertEquals(NEW_KEY, verifier.authenticate(signed(NEW_KEY, NEW_SECRET)).accessKeyId());

        publish(keys(key(NEW_KEY, NEW_SECRET)));
        Polling.await("the old key to be gone", Duration.ofSeconds(10), () -> store.current().find(OLD_KEY) == null);
        AwsException e = assertThrows(AwsException.class, () -> verifier.authenticate(signed(OLD_KEY, OLD_SECRET)));
        assertEquals(ErrorCode.UNRECOGNIZED_CLIENT, e.code());
        assertEquals("rotation", verifier.authenticate(signed(NEW_KEY, NEW_SECRET)).name());
        store.close();
    }

    @Test
    void keepsTheLastGoodCredentialsWhenTheFileBreaksAndSaysSoOnce() throws Exception {
        publish(keys(key(OLD_KEY, OLD_SECRET)));
        ReloadingCredentialStore store = await(ReloadingCredentialStore.start(vertx, file, Duration.ofHours(1)));
        Credentials good = store.current();

        publish(keys(key(NEW_KEY, NEW_SECRET)).replace("Effect: Allow", "Effect: Allow\n        Condition: {}"));
        assertFalse(await(store.reloadIfChanged()));
        assertFalse(await(store.reloadIfChanged()));

        assertSame(good, store.current());
        List<ILoggingEvent> errors = errors();
        assertEquals(1, errors.size(), "one error line for one broken file");
        assertTrue(errors.get(0).getFormattedMessage().contains("'Condition' is not supported"), errors.get(0).getFormattedMessage());
        assertNoSecretLogged();

        publish(keys(key(NEW_KEY, NEW_SECRET)));
        assertTrue(await(store.reloadIfChanged()));
        assertTrue(store.current().find(NEW_KEY) != null);
        store.close();
    }

    @Test
    void keepsTheLastGoodCredentialsWhileTheFileIsMissing() throws Exception {
        publish(keys(key(OLD_KEY, OLD_SECRET)));
        ReloadingCredentialStore store = await(ReloadingCredentialStore.start(vertx, file, Duration.ofHours(1)));

        Files.delete(file);
        assertFalse(await(store.reloadIfChanged()));
        assertFalse(await(store.reloadIfChanged()));

        assertTrue(store.current().find(OLD_KEY) != null);
        assertEquals(1, errors().size());
        store.close();
    }

    @Test
    void failsToStartOnABrokenFile() throws Exception {
        publish("principals: [{name: x}]\n");

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(ReloadingCredentialStore.start(vertx, file, Duration.ofHours(1))));
        assertInstanceOf(CredentialsFileException.class, e.getCause());
        assertEquals(file + ": principals[0]: 'policy' is required", e.getCause().getMessage());
    }

    /** Writes a new generation directory and swaps the ..data symlink to it, as the kubelet does. */
    private void publish(String content) throws Exception {
        Path generationDir = Files.createDirectory(mount.resolve("..gen-" + ++generation));
        Files.writeString(generationDir.resolve("credentials.yaml"), content);
        Path next = Files.createSymbolicLink(mount.resolve("..data_tmp"), generationDir.getFileName());
        Files.move(next, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String key(String id, String secret) {
        return "      - {id: " + id + ", secret: \"" + secret + "\"}\n";
    }

    private static String keys(String... keys) {
        return "principals:\n  - name: rotation\n    accessKeys:\n" + String.join("", keys) + """
                    policy:
                      Statement:
                      - Effect: Allow
                        Action: "cognito-idp:*"
                        Resource: "*"
                """;
    }

    private static SignedRequest signed(String accessKeyId, String secret) {
        return SdkSigning.adminDisableUser(accessKeyId, secret, NOW);
    }

    private List<ILoggingEvent> errors() {
        return log.list.stream().filter(event -> event.getLevel() == Level.ERROR).toList();
    }

    private void assertNoSecretLogged() {
        for (ILoggingEvent event : log.list) {
            for (String secret : List.of(OLD_SECRET, NEW_SECRET)) {
                assertFalse(event.getFormattedMessage().contains(secret), event.getFormattedMessage());
            }
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
