package dev.idpgateway.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A value made from files (a mounted Secret), made anew when their content changes. Kubernetes updates
 * a mounted Secret by swapping a symlink, which modification times do not reliably show, so a periodic
 * timer compares a hash of the content. Reading and parsing run on a worker thread. Content that cannot
 * be used (unreadable, refused by the parser or by the step that puts it in force) keeps the last good
 * value and is reported once, until the content changes again.
 *
 * @param <T> what the files make
 */
public final class ReloadingFiles<T> implements AutoCloseable {

    /** What the files are made into and what happens with the result. */
    public interface Handler<T> {
        /** Blocking (runs on a worker thread): the value from the files' content, in the order named; throws what is wrong with it. */
        T parse(List<byte[]> contents);

        /** Puts a reloaded value in force; a failed future keeps the last good one. */
        Future<?> apply(T reloaded);

        /** The current content cannot be used; called once per distinct content or read failure. */
        void unusable(String problem);
    }

    private final Vertx vertx;
    private final List<Path> files;
    private final Handler<T> handler;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile T current;
    /** The content hash (or read failure) last acted on, so that one state is acted on only once. */
    private volatile String lastSeenState;
    private volatile long timerId = -1;

    private ReloadingFiles(Vertx vertx, List<Path> files, Handler<T> handler) {
        this.vertx = vertx;
        this.files = List.copyOf(files);
        this.handler = handler;
    }

    /**
     * Reads and parses the files once, then checks them every {@code checkInterval}.
     *
     * @return fails with the parser's exception, or a {@link ConfigException} naming a file that cannot be read
     */
    public static <T> Future<ReloadingFiles<T>> start(Vertx vertx, List<Path> files, Duration checkInterval,
                                                      Handler<T> handler) {
        ReloadingFiles<T> reloading = new ReloadingFiles<>(vertx, files, handler);
        return vertx.executeBlocking(() -> {
            List<byte[]> contents = reloading.read();
            reloading.current = handler.parse(contents);
            reloading.lastSeenState = contentHash(contents);
            return reloading;
        }).onSuccess(started -> started.timerId = vertx.setPeriodic(checkInterval.toMillis(), id -> started.reloadIfChanged()));
    }

    /** The last value that was put in force. */
    public T current() {
        return current;
    }

    /**
     * Re-reads the files now (the timer calls this too).
     *
     * @return completes with whether a new value took effect
     */
    public Future<Boolean> reloadIfChanged() {
        if (!checking.compareAndSet(false, true)) {
            return Future.succeededFuture(false);
        }
        return vertx.executeBlocking(this::parseIfChanged)
                .compose(parsed -> parsed == null ? Future.succeededFuture(false) : handler.apply(parsed)
                        .map(applied -> {
                            current = parsed;
                            return true;
                        })
                        .recover(refused -> {
                            handler.unusable(String.valueOf(refused.getMessage()));
                            return Future.succeededFuture(false);
                        }))
                .onComplete(done -> checking.set(false));
    }

    /** Null when there is nothing new to put in force. */
    private T parseIfChanged() {
        List<byte[]> contents;
        try {
            contents = read();
        } catch (ConfigException unreadable) {
            // Mid-swap or deleted: report once until the files read again.
            if (!unreadable.getMessage().equals(lastSeenState)) {
                lastSeenState = unreadable.getMessage();
                handler.unusable(unreadable.getMessage());
            }
            return null;
        }
        String hash = contentHash(contents);
        if (hash.equals(lastSeenState)) {
            return null;
        }
        lastSeenState = hash;
        try {
            return handler.parse(contents);
        } catch (RuntimeException invalid) {
            handler.unusable(invalid.getMessage());
            return null;
        }
    }

    /** Blocking. The message names the kind of failure only: file system messages add nothing safe to log. */
    private List<byte[]> read() {
        List<byte[]> contents = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                contents.add(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return contents;
    }

    /** Stops watching the files; the current value stays in force. */
    @Override
    public void close() {
        vertx.cancelTimer(timerId);
    }

    private static String contentHash(List<byte[]> contents) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (byte[] content : contents) {
                sha256.update(Integer.toString(content.length).getBytes());
                sha256.update((byte) ':');
                sha256.update(content);
            }
            return java.util.HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
