package dev.idpgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The manifests a kustomization renders, as {@code kubectl apply -k} would send them: rendered by kubectl's own
 * kustomize, or the standalone {@code kustomize} (which .ci/run installs from Debian's packages where neither is on
 * the machine). With neither, a test that needs them is skipped with a message that says so.
 */
public final class Kustomize {
    public static final Path K8S = Path.of("k8s");
    /** A composition of the production overlay with the external-redis component, as docs/deploying.md tells. */
    public static final Path EXTERNAL_REDIS_EXAMPLE = Path.of("target", "kustomize", "production-external-redis");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<Path, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();
    private static final Optional<List<String>> COMMAND = command();

    private Kustomize() {
    }

    /** Every overlay under k8s/overlays, and the production overlay with the external-redis component. */
    public static Map<String, List<JsonNode>> renderAll() {
        Map<String, List<JsonNode>> all = new LinkedHashMap<>();
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            for (Path overlay : overlays.sorted().toList()) {
                all.put(overlay.toString(), render(overlay));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.put("production with components/external-redis", render(externalRedisExample()));
        return all;
    }

    /** The objects the kustomization in {@code directory} renders; skips the calling test where nothing renders. */
    public static List<JsonNode> render(Path directory) {
        Assumptions.assumeTrue(COMMAND.isPresent(),
                "neither kubectl nor kustomize is on the PATH: the rendered manifests were not checked (.ci/run installs kustomize)");
        return RENDERED.computeIfAbsent(directory.toAbsolutePath().normalize(), Kustomize::run);
    }

    /** The rendered objects of one kind. */
    public static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(object -> object.path("kind").asText().equals(kind)).toList();
    }

    private static Path externalRedisExample() {
        try {
            Files.createDirectories(EXTERNAL_REDIS_EXAMPLE);
            Files.writeString(EXTERNAL_REDIS_EXAMPLE.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    resources:
                      - ../../../k8s/overlays/production
                    components:
                      - ../../../k8s/components/external-redis
                    """);
            return EXTERNAL_REDIS_EXAMPLE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> run(Path directory) {
        List<String> command = new ArrayList<>(COMMAND.orElseThrow());
        command.add(directory.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
            }
            try (MappingIterator<JsonNode> objects = YAML.readerFor(JsonNode.class).readValues(output)) {
                return List.copyOf(objects.readAll());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted rendering " + directory, e);
        }
    }

    /** The standalone kustomize first: an old kubectl carries an old kustomize (Debian 12's kubectl 1.20 has v2). */
    private static Optional<List<String>> command() {
        if (onPath("kustomize")) {
            return Optional.of(List.of("kustomize", "build"));
        }
        return onPath("kubectl") ? Optional.of(List.of("kubectl", "kustomize")) : Optional.empty();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
