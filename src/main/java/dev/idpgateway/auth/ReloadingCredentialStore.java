package dev.idpgateway.auth;

import dev.idpgateway.config.ReloadingFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The credentials file, re-read when its content changes ({@link ReloadingFiles}); requests only read
 * the credentials in force. A broken file keeps the last good credentials and is reported once.
 */
public final class ReloadingCredentialStore implements CredentialSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingCredentialStore.class);

    private final ReloadingFiles<Credentials> file;

    private ReloadingCredentialStore(ReloadingFiles<Credentials> file) {
        this.file = file;
    }

    /**
     * Loads the file once and then checks it every {@code checkInterval}.
     *
     * @return fails with {@link CredentialsFileException} when the file cannot be used at start-up
     */
    public static Future<ReloadingCredentialStore> start(Vertx vertx, Path file, Duration checkInterval) {
        Objects.requireNonNull(file);
        return ReloadingFiles.start(vertx, List.of(file), checkInterval, new ReloadingFiles.Handler<Credentials>() {
            @Override
            public Credentials parse(List<byte[]> contents) {
                return CredentialsFile.parse(contents.get(0), file.toString());
            }

            @Override
            public Future<?> apply(Credentials reloaded) {
                LOG.info("Credentials reloaded from {}: {} principals, {} access keys", file,
                        reloaded.principals().size(), reloaded.accessKeyCount());
                return Future.succeededFuture();
            }

            @Override
            public void unusable(String problem) {
                LOG.error("Credentials file unusable, keeping the last good credentials: {}", problem);
            }
        }).map(reloading -> {
            LOG.info("Credentials loaded from {}: {} principals, {} access keys", file,
                    reloading.current().principals().size(), reloading.current().accessKeyCount());
            return new ReloadingCredentialStore(reloading);
        });
    }

    @Override
    public Credentials current() {
        return file.current();
    }

    /**
     * Re-reads the file now (the timer calls this too).
     *
     * @return completes with whether new credentials took effect
     */
    public Future<Boolean> reloadIfChanged() {
        return file.reloadIfChanged();
    }

    /** Stops watching the file; the current credentials stay in force. */
    @Override
    public void close() {
        file.close();
    }
}
