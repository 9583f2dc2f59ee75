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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static dev.idpgateway.auth.SdkSigning.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reloads of the credentials file laid out as Kubernetes mounts a Secret: a file behind a swapped symlink.
 * Each test is one chain of futures on the event loop, file changes included, so that nothing blocks it.
 */
@ExtendWith(VertxExtension.class)
class ReloadingCredentialStoreTest {
    private static final String OLD_KEY = "AKIDROTATIONOLD00001";
    private static final String OLD_SECRET = "old-secret-value-0001";
    private static final String NEW_KEY = "AKIDROTATIONNEW00002";
    private static final String NEW_SECRET = "new-secret-value-0002";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path mount;
    private Vertx vertx;
    private Path file;
    private int generation;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    /** The extension gives this method and the test the same Vertx, and closes it after the test. */
    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        file = mount.resolve("credentials.yaml");
        Files.createSymbolicLink(file, Path.of("..data", "credentials.yaml"));
        log.start();
        ((Logger) LoggerFactory.getLogger(ReloadingCredentialStore.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(ReloadingCredentialStore.class)).detachAppender(log);
    }

    @Test
    void rotatesKeysWhileTheGatewayRuns(VertxTestContext test) {
        publish(keys(key(OLD_KEY, OLD_SECRET)))
                .compose(published -> ReloadingCredentialStore.start(vertx, file, Duration.ofMillis(20)))
                .compose(store -> {
                    SigV4Verifier verifier = new SigV4Verifier(store, SdkSigning.REGION, SdkSigning.SERVICE,
                            SigningPolicy.awsJson(Set.of()), Clock.fixed(NOW, ZoneOffset.UTC));
                    assertEquals(OLD_KEY, verifier.authenticate(signed(OLD_KEY, OLD_SECRET)).accessKeyId());
                    return publish(keys(key(OLD_KEY, OLD_SECRET), key(NEW_KEY, NEW_SECRET)))
                            .compose(published -> until("the new key to be loaded", () -> store.current().find(NEW_KEY) != null))
                            .andThen(test.succeeding(loaded -> test.verify(() -> {
                                assertEquals(OLD_KEY, verifier.authenticate(signed(OLD_KEY, OLD_SECRET)).accessKeyId());
                                assertEquals(NEW_KEY, verifier.authenticate(signed(NEW_KEY, NEW_SECRET)).accessKeyId());
                            })))
                            .compose(checked -> publish(keys(key(NEW_KEY, NEW_SECRET))))
                            .compose(published -> until("the old key to be gone", () -> store.current().find(OLD_KEY) == null))
                            .andThen(test.succeeding(gone -> test.verify(() -> {
                                AwsException e = assertThrows(AwsException.class, () -> verifier.authenticate(signed(OLD_KEY, OLD_SECRET)));
                                assertEquals(ErrorCode.UNRECOGNIZED_CLIENT, e.code());
                                assertEquals("rotation", verifier.authenticate(signed(NEW_KEY, NEW_SECRET)).name());
                            })))
                            .andThen(done -> store.close());
                })
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void keepsTheLastGoodCredentialsWhenTheFileBreaksAndSaysSoOnce(VertxTestContext test) {
        publish(keys(key(OLD_KEY, OLD_SECRET)))
                .compose(published -> ReloadingCredentialStore.start(vertx, file, Duration.ofHours(1)))
                .compose(store -> {
                    Credentials good = store.current();
                    return publish(keys(key(NEW_KEY, NEW_SECRET)).replace("Effect: Allow", "Effect: Allow\n        Condition: {}"))
                            .compose(published -> store.reloadIfChanged())
                            .andThen(test.succeeding(reloaded -> test.verify(() -> assertFalse(reloaded))))
                            .compose(once -> store.reloadIfChanged())
                            .andThen(test.succeeding(reloaded -> test.verify(() -> {
                                assertFalse(reloaded);
                                assertSame(good, store.current());
                                List<ILoggingEvent> errors = errors();
                                assertEquals(1, errors.size(), "one error line for one broken file");
                                assertTrue(errors.get(0).getFormattedMessage().contains("'Condition' is not supported"),
                                        errors.get(0).getFormattedMessage());
                                assertNoSecretLogged();
                            })))
                            .compose(twice -> publish(keys(key(NEW_KEY, NEW_SECRET))))
                            .compose(published -> store.reloadIfChanged())
                            .andThen(test.succeeding(reloaded -> test.verify(() -> {
                                assertTrue(reloaded);
                                assertNotNull(store.current().find(NEW_KEY));
                            })))
                            .andThen(done -> store.close());
                })
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void keepsTheLastGoodCredentialsWhileTheFileIsMissing(VertxTestContext test) {
        publish(keys(key(OLD_KEY, OLD_SECRET)))
                .compose(published -> ReloadingCredentialStore.start(vertx, file, Duration.ofHours(1)))
                .compose(store -> vertx.fileSystem().delete(file.toString())
                        .compose(deleted -> store.reloadIfChanged())
                        .andThen(test.succeeding(reloaded -> test.verify(() -> assertFalse(reloaded))))
                        .compose(once -> store.reloadIfChanged())
                        .andThen(test.succeeding(reloaded -> test.verify(() -> {
                            assertFalse(reloaded);
                            assertNotNull(store.current().find(OLD_KEY));
                            assertEquals(1, errors().size());
                        })))
                        .andThen(done -> store.close()))
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void failsToStartOnABrokenFile(VertxTestContext test) {
        publish("principals: [{name: x}]\n")
                .compose(published -> ReloadingCredentialStore.start(vertx, file, Duration.ofHours(1)))
                .onComplete(test.failing(e -> test.verify(() -> {
                    assertInstanceOf(CredentialsFileException.class, e);
                    assertEquals(file + ": principals[0]: 'policy' is required", e.getMessage());
                    test.completeNow();
                })));
    }

    /** Writes a new generation directory and swaps the ..data symlink to it, as the kubelet does. */
    private Future<Void> publish(String content) {
        FileSystem fs = vertx.fileSystem();
        Path generationDir = mount.resolve("..gen-" + ++generation);
        Path next = mount.resolve("..data_tmp");
        return fs.mkdir(generationDir.toString())
                .compose(made -> fs.writeFile(generationDir.resolve("credentials.yaml").toString(), Buffer.buffer(content)))
                .compose(written -> fs.symlink(next.toString(), generationDir.getFileName().toString()))
                .compose(linked -> fs.move(next.toString(), mount.resolve("..data").toString(),
                        new CopyOptions().setAtomicMove(true).setReplaceExisting(true)));
    }

    private Future<Void> until(String what, BooleanSupplier condition) {
        return Polling.until(vertx, what, PATIENCE, () -> Future.succeededFuture(condition.getAsBoolean()));
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
}
