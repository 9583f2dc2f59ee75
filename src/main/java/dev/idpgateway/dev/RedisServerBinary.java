package dev.idpgateway.dev;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * Finds the redis-server to run: the one on PATH when there is one (a developer's own, usually
 * newer, build), otherwise the binary shipped inside the embedded-redis jar. Resolved once per
 * JVM, so the jar binary is extracted at most once.
 */
final class RedisServerBinary {
    private static final Logger LOG = LoggerFactory.getLogger(RedisServerBinary.class);

    private RedisServerBinary() {
    }

    static Path path() {
        return Holder.PATH;
    }

    /** Lazy holder: the JVM runs the lookup once, thread-safely, on first use. */
    private static final class Holder {
        static final Path PATH = locate();
    }

    private static Path locate() {
        try {
            Path onPath = ExecutableProvider.newExecutableInPath("redis-server").get().toPath();
            if (Files.isExecutable(onPath)) {
                LOG.debug("Using redis-server from PATH: {}", onPath);
                return onPath;
            }
        } catch (FileNotFoundException notOnPath) {
            // fall through to the binary in the jar
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot inspect redis-server on PATH", e);
        }
        try {
            // The library picks the binary for this OS/architecture, copies it to a temp dir
            // (deleted on JVM exit) and marks it executable.
            Path extracted = ExecutableProvider.newJarResourceProvider().get().toPath();
            LOG.debug("Using redis-server extracted from the embedded-redis jar: {}", extracted);
            return extracted;
        } catch (IOException e) {
            throw new UncheckedIOException("No redis-server on PATH and the embedded-redis jar has none for this platform", e);
        }
    }
}
