package dev.idpgateway;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout is the architecture: packages form layers, and a package uses only packages of the
 * layers below its own (never one above, never a peer), so the import graph has no cycle. Read from
 * the sources in src/main/java: imports and fully qualified names in code.
 */
class PackageLayersTest {
    /** Top to bottom; "" is the root package (the entry point). README.md's layout table lists the same. */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of(""),
            Set.of("cli"),
            Set.of("http", "dev"),
            Set.of("observability"),
            Set.of("operation", "throttle"),
            Set.of("auth", "store"),
            Set.of("redis"),
            Set.of("config", "protocol"));
    private static final Path SOURCES = Path.of("src/main/java/dev/idpgateway");
    /** A reference to a class of the project: dev.idpgateway[.package].Class. */
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.idpgateway((?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    /** Making a Micrometer meter: only the observability package does. */
    private static final Pattern METER = Pattern.compile("\\b(?:Gauge|Counter|Timer|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer|TimeGauge)\\.builder\\(");

    private static Map<String, Set<String>> uses;
    /** Per package, the files that make a meter. */
    private static Map<String, Set<String>> meterMakers;

    @BeforeAll
    static void readSources() throws IOException {
        uses = new TreeMap<>();
        meterMakers = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                String from = packageOf(file);
                Set<String> targets = uses.computeIfAbsent(from, any -> new TreeSet<>());
                String code = COMMENT.matcher(read(file)).replaceAll(" ");
                if (METER.matcher(code).find()) {
                    meterMakers.computeIfAbsent(from, any -> new TreeSet<>()).add(file.getFileName().toString());
                }
                Matcher reference = REFERENCE.matcher(code);
                while (reference.find()) {
                    String to = reference.group(1).isEmpty() ? "" : reference.group(1).substring(1);
                    if (!to.equals(from)) {
                        targets.add(to);
                    }
                }
            });
        }
    }

    @Test
    void everyPackageHasItsLayer() {
        Set<String> unplaced = new TreeSet<>(uses.keySet());
        LAYERS.forEach(unplaced::removeAll);
        assertEquals(Set.of(), unplaced, "packages missing from LAYERS (and from the README's layout table)");
    }

    @Test
    void importsRunDownwardOnly() {
        List<String> upward = new ArrayList<>();
        uses.forEach((from, targets) -> targets.forEach(to -> {
            if (layerOf(to) <= layerOf(from)) {
                upward.add(display(from) + " -> " + display(to));
            }
        }));
        assertEquals(List.of(), upward, "imports of a package in the same or a higher layer");
    }

    @Test
    void importGraphHasNoCycle() {
        List<String> cycle = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : uses.keySet()) {
            if (findCycle(start, new ArrayList<>(), done, cycle)) {
                break;
            }
        }
        assertEquals(List.of(), cycle, "a cycle in the package graph");
    }

    @Test
    void onlyObservabilityMakesMeters() {
        Map<String, Set<String>> elsewhere = new TreeMap<>(meterMakers);
        elsewhere.remove("observability");
        assertEquals(Map.of(), elsewhere, "meters made outside the observability package");
        assertTrue(meterMakers.containsKey("observability"), "the meters are found: " + meterMakers);
    }

    @Test
    void rootPackageHoldsOnlyTheEntryPoint() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            List<String> classes = files.filter(Files::isRegularFile).map(file -> file.getFileName().toString()).toList();
            assertEquals(List.of("Main.java"), classes);
        }
    }

    @Test
    void theGraphIsRead() {
        assertTrue(uses.getOrDefault("http", Set.of()).contains("protocol"), "http uses protocol: " + uses);
    }

    private static boolean findCycle(String node, List<String> path, Set<String> done, List<String> cycle) {
        int seen = path.indexOf(node);
        if (seen >= 0) {
            path.subList(seen, path.size()).forEach(step -> cycle.add(display(step)));
            cycle.add(display(node));
            return true;
        }
        if (done.contains(node)) {
            return false;
        }
        path.add(node);
        for (String next : uses.getOrDefault(node, Set.of())) {
            if (findCycle(next, path, done, cycle)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        done.add(node);
        return false;
    }

    private static int layerOf(String pkg) {
        for (int layer = 0; layer < LAYERS.size(); layer++) {
            if (LAYERS.get(layer).contains(pkg)) {
                return layer;
            }
        }
        return -1;
    }

    private static String packageOf(Path file) {
        Path dir = SOURCES.relativize(file).getParent();
        return dir == null ? "" : dir.toString().replace(file.getFileSystem().getSeparator(), ".");
    }

    private static String display(String pkg) {
        return pkg.isEmpty() ? "dev.idpgateway" : pkg;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
