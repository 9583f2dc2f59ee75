package dev.idpgateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The credentials file, re-read when its content changes. Kubernetes updates a mounted Secret by
 * swapping a symlink, which modification times do not reliably show, so a periodic timer compares a
 * hash of the content. Reading and parsing run on a worker thread; requests only read the
 * {@link AtomicReference}. A broken file keeps the last good credentials and is reported once.
 */
public final class ReloadingCredentialStore implements CredentialSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingCredentialStore.class);

    private final Vertx vertx;
    private final Path file;
    private final AtomicReference<Credentials> current;
    private final AtomicBoolean checking = new AtomicBoolean();
    /** The content hash (or read failure) last acted on, so that one state is logged only once. */
    private volatile String lastSeenState;
    private volatile long timerId = -1;

    private ReloadingCredentialStore(Vertx vertx, Path file, Credentials initial, String initialState) {
        this.vertx = vertx;
        this.file = file;
        this.current = new AtomicReference<>(initial);
        this.lastSeenState = initialState;
    }

    /**
     * Loads the file once and then checks it every {@code checkInterval}.
     *
     * @return fails with {@link CredentialsFileException} when the file cannot be used at start-up
     */
    public static Future<ReloadingCredentialStore> start(Vertx vertx, Path file, Duration checkInterval) {
        Objects.requireNonNull(file);
        return vertx.executeBlocking(() -> {
            byte[] content = CredentialsFile.readContent(file);
            return new ReloadingCredentialStore(vertx, file, CredentialsFile.parse(content, file.toString()),
                    contentHash(content));
        }).map(store -> {
            LOG.info("Credentials loaded from {}: {} principals, {} access keys", file,
                    store.current().principals().size(), store.current().accessKeyCount());
            store.timerId = vertx.setPeriodic(checkInterval.toMillis(), id -> store.reloadIfChanged());
            return store;
        });
    }

    @Override
    public Credentials current() {
        return current.get();
    }

    /**
     * Re-reads the file now (the timer calls this too).
     *
     * @return completes with whether new credentials took effect
     */
    public Future<Boolean> reloadIfChanged() {
        if (!checking.compareAndSet(false, true)) {
            return Future.succeededFuture(false);
        }
        return vertx.executeBlocking(this::reloadBlocking).onComplete(done -> checking.set(false));
    }

    private boolean reloadBlocking() {
        byte[] content;
        try {
            content = CredentialsFile.readContent(file);
        } catch (CredentialsFileException unreadable) {
            // Mid-swap or deleted: report once until the file reads again.
            if (!unreadable.getMessage().equals(lastSeenState)) {
                lastSeenState = unreadable.getMessage();
                logKeepingLastGood(unreadable);
            }
            return false;
        }
        String hash = contentHash(content);
        if (hash.equals(lastSeenState)) {
            return false;
        }
        lastSeenState = hash;
        try {
            Credentials loaded = CredentialsFile.parse(content, file.toString());
            current.set(loaded);
            LOG.info("Credentials reloaded from {}: {} principals, {} access keys", file,
                    loaded.principals().size(), loaded.accessKeyCount());
            return true;
        } catch (CredentialsFileException invalid) {
            logKeepingLastGood(invalid);
            return false;
        }
    }

    private static void logKeepingLastGood(CredentialsFileException e) {
        LOG.error("Credentials file unusable, keeping the last good credentials: {}", e.getMessage());
    }

    /** Stops watching the file; the current credentials stay in force. */
    @Override
    public void close() {
        vertx.cancelTimer(timerId);
    }

    private static String contentHash(byte[] content) {
        return Digests.hex(Digests.sha256(content));
    }
}
