package dev.idpgateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fat jar as `mvn package` leaves it (run by Failsafe in `mvn verify`): small, and holding only
 * what the gateway and its dev mode run on Linux and macOS, x86-64 and arm64.
 */
class ArtifactIT {
    /** Jars of tests and of other platforms, by the package or folder they would bring in. */
    private static final List<String> FORBIDDEN_PREFIXES = List.of(
            "io/gatling/", "scala/", "redis/clients/jedis/", "redis/embedded/", "org/apache/commons/pool2/",
            "org/junit/", "net/jqwik/", "org/openjdk/jmh/", "software/amazon/awssdk/");

    private static Path jar;
    private static Set<String> entries;

    @BeforeAll
    static void readJar() throws IOException {
        jar = Path.of(System.getProperty("artifact.jar"));
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(JarEntry::getName).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void weighsNoMoreThanTheLimit() throws IOException {
        long limit = Long.parseLong(System.getProperty("artifact.maxBytes"));
        long size = Files.size(jar);
        assertTrue(size <= limit, jar + " weighs " + size + " bytes, more than " + limit);
    }

    @Test
    void carriesNoTestDependency() {
        List<String> found = FORBIDDEN_PREFIXES.stream()
                .filter(prefix -> entries.stream().anyMatch(entry -> entry.startsWith(prefix)))
                .toList();
        assertEquals(List.of(), found);
    }

    /** BoringSSL (netty-tcnative) is a runtime dependency for the image only: shade leaves it out (pom.xml). */
    @Test
    void carriesOnlyTheEpollTransportAsNettyNatives() {
        assertEquals(Set.of(
                        "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                        "META-INF/native/libnetty_transport_native_epoll_aarch_64.so"),
                under("META-INF/native/"));
        assertEquals(Set.of(), under("io/netty/internal/tcnative/"));
    }

    @Test
    void carriesRedisServerForLinuxAndMacOnly() {
        assertEquals(Set.of(
                        "redis-server/linux-amd64", "redis-server/linux-arm64",
                        "redis-server/darwin-amd64", "redis-server/darwin-arm64"),
                under("redis-server/"));
        assertEquals(Set.of(), entries.stream().filter(entry -> entry.startsWith("redis-server-")).collect(Collectors.toSet()));
    }

    @Test
    void carriesNoTestClass() throws IOException {
        Path testClasses = Path.of(System.getProperty("artifact.testClasses"));
        try (Stream<Path> files = Files.walk(testClasses)) {
            List<String> leaked = files
                    .filter(file -> file.toString().endsWith(".class"))
                    .map(file -> testClasses.relativize(file).toString().replace('\\', '/'))
                    .filter(entries::contains)
                    .toList();
            assertEquals(List.of(), leaked);
        }
    }

    private static Set<String> under(String folder) {
        return entries.stream()
                .filter(entry -> entry.startsWith(folder) && !entry.endsWith("/"))
                .collect(Collectors.toSet());
    }
}
