package dev.idpgateway.dev;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the redis-server to run: the one on PATH when there is one (a developer's own, usually
 * newer, build), otherwise the binary for this platform that the build packs as the resource
 * {@code redis-server/<os>-<arch>} (taken from embedded-redis, for linux and darwin on amd64 and
 * arm64; the container image carries none). Resolved once per JVM, so the binary is extracted at
 * most once.
 */
final class RedisServerBinary {
    private static final Logger LOG = LoggerFactory.getLogger(RedisServerBinary.class);
    private static final String EXECUTABLE = "redis-server";

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
        Optional<Path> onPath = onPath();
        if (onPath.isPresent()) {
            LOG.debug("Using redis-server from PATH: {}", onPath.get());
            return onPath.get();
        }
        String resource = resourceFor(System.getProperty("os.name"), System.getProperty("os.arch"));
        Path extracted = extract(resource);
        LOG.debug("Using redis-server extracted from {}: {}", resource, extracted);
        return extracted;
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, EXECUTABLE))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The resource of the binary for a platform as Java names it, e.g. {@code Linux}, {@code aarch64}. */
    static String resourceFor(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String platform = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "darwin" : os;
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> osArch;
        };
        return "/" + EXECUTABLE + "/" + platform + "-" + arch;
    }

    /** Copies the binary to a temporary directory (deleted on JVM exit) and marks it executable. */
    private static Path extract(String resource) {
        try (InputStream in = RedisServerBinary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No redis-server on PATH, and this build carries none for this platform ("
                        + resource + "): install Redis or put redis-server on PATH");
            }
            Path dir = Files.createTempDirectory("idp-redis-bin-");
            Path binary = dir.resolve(EXECUTABLE);
            Files.copy(in, binary);
            if (!binary.toFile().setExecutable(true, true)) {
                throw new IOException("cannot mark " + binary + " executable");
            }
            dir.toFile().deleteOnExit();
            binary.toFile().deleteOnExit();
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract redis-server from " + resource, e);
        }
    }
}
