package dev.idpgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.idpgateway.cli.MainProcess;
import dev.idpgateway.dev.BlockingRedis;
import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.observability.HttpProbe;
import dev.idpgateway.testing.Polling;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image run under a real container runtime as k8s/base/deployment.yaml runs it: its user, a read-only
 * root filesystem with an emptyDir on /tmp, every capability dropped, no privilege escalation, the pod's memory and CPU
 * limits, the ConfigMap's gateway.yaml and a credentials file mounted read-only, against a real Redis. Started twice,
 * as a container restarted in its pod: the first clean stop writes the class-data archive into /tmp, the second start
 * maps it. src/image/check builds the image (on a base of its own, no registry needed) and runs this test; without
 * it, it is skipped. The one difference from a pod: the host's network, on ports the gateway picks (no address but
 * 127.0.0.1 is used); RenderedManifestTest holds the Deployment's ports to the configuration.
 */
class ContainerImageIT {
    private static final Path DEPLOYMENT = Path.of("k8s", "base", "deployment.yaml");
    private static final Path CONFIGURATION = Path.of("k8s", "base", "gateway.yaml");
    private static final Path WORK = Path.of("target", "image-check", "run");
    private static final String NAME = "idp-gateway-image-check";
    private static final String POOL = "us-east-1_ImageCheck";
    /** An operator's credentials file; its account-service may disable users of us-east-1_* pools. */
    private static final Path CREDENTIALS = Path.of("src", "test", "resources", "auth", "credentials.yaml");
    private static final String ACCESS_KEY = "AKIDACCOUNTSERVICE01";
    private static final String SECRET_KEY = "account-service-secret-one";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Starts without and with the class-data archive: three pairs keep the whole check within a few minutes. */
    private static final int PAIRS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<String> containers = new ArrayList<>();
    private String image;

    @Test
    void theImageServesSignedCallsAsTheDeploymentRunsItAndStartsFromItsArchiveAfterACleanStop() throws Exception {
        String tar = System.getProperty("image.tar");
        Assumptions.assumeTrue(tar != null && Files.isRegularFile(Path.of(tar)),
                "no image to run: src/image/check builds it and runs this test (-Dimage.tar=target/jib-image.tar)");
        Pod pod = Pod.of(YAML.readTree(DEPLOYMENT.toFile()));
        image = load(Path.of(tar));
        prepareVolumes(pod);
        String archiveInContainer = ImageConfig.read().flag("-XX:SharedArchiveFile").orElseThrow();
        Path archive = volumePath(pod, archiveInContainer);
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {
            podman(List.of("run", "--rm", "--name", NAME + "-seed"), pod.securityOptions(), List.of(image, "seed",
                    "--redis-url", redis.url(), "--pool", POOL, "--users", "3", "--tokens-per-user", "2"));
            // Pairs of starts, as a container restarted in its pod after a clean stop: the first of each pair on an empty
            // emptyDir, the second on what the first left there. The first pair also serves a signed call.
            for (int pair = 1; pair <= PAIRS; pair++) {
                Files.deleteIfExists(archive);
                Run withoutArchive = Run.start(this, "cold-" + pair, image, pod, redis.url());
                cold.add(withoutArchive.awaitReady().toMillis());
                if (pair == 1) {
                    disableThroughTheSdk(withoutArchive, redis);
                }
                withoutArchive.stopAndCheck(pod);
                assertTrue(Files.isRegularFile(archive) && Files.size(archive) > 0, "the first clean stop wrote no class-data archive at " + archive);
                FileTime written = Files.getLastModifiedTime(archive);

                Run withArchive = Run.start(this, "warm-" + pair, image, pod, redis.url());
                warm.add(withArchive.awaitReady().toMillis());
                assertTrue(withArchive.maps(archiveInContainer), "the second start does not use the class-data archive the first stop wrote");
                withArchive.stopAndCheck(pod);
                assertEquals(written, Files.getLastModifiedTime(archive), "the second stop rewrote the archive the second start used");
            }
        }
        // Reported, not asserted: on a shared machine a timing says little alone (docs/deploying.md has runs of it).
        System.out.printf("image check: podman run to ready, %d pairs: without the class-data archive %s ms, with it %s ms;"
                + " median with / median without: %.2f%n", PAIRS, cold, warm, (double) median(warm) / median(cold));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Removes the containers and the image this test made, whatever became of it. */
    @AfterEach
    void removeContainersAndImage() throws Exception {
        for (String container : containers) {
            quietly("rm", "--force", container);
        }
        if (image != null) {
            quietly("rmi", "--force", image);
        }
    }

    private static void quietly(String... podmanArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(podmanArgs));
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(60, TimeUnit.SECONDS);
    }

    /** What the Deployment gives the container, read from its manifest: the test runs what the manifest says. */
    private record Pod(long user, long group, long memoryMebibytes, String cpus, Map<String, String> env, List<String> args,
                       Map<String, String> mounts, Map<String, String> volumeKinds, long terminationGrace, long preStopPause) {
        static Pod of(JsonNode deployment) {
            JsonNode spec = deployment.path("spec").path("template").path("spec");
            JsonNode container = spec.path("containers").get(0);
            JsonNode security = container.path("securityContext");
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean() && !security.path("allowPrivilegeEscalation").asBoolean(true)
                    && security.path("capabilities").path("drop").toString().equals("[\"ALL\"]"),
                    "the Deployment's security context is not what this test runs: " + security);
            Map<String, String> env = new LinkedHashMap<>();
            container.path("env").forEach(variable -> env.put(variable.path("name").asText(), variable.path("value").asText()));
            List<String> args = new ArrayList<>();
            container.path("args").forEach(arg -> args.add(arg.asText()));
            Map<String, String> mounts = new LinkedHashMap<>();
            container.path("volumeMounts").forEach(mount -> mounts.put(mount.path("name").asText(), mount.path("mountPath").asText()));
            Map<String, String> kinds = new LinkedHashMap<>();
            spec.path("volumes").forEach(volume -> kinds.put(volume.path("name").asText(),
                    volume.has("emptyDir") ? "emptyDir" : volume.has("configMap") ? "configMap" : volume.has("secret") ? "secret" : "other"));
            String memory = container.path("resources").path("limits").path("memory").asText();
            assertTrue(memory.endsWith("Mi"), "memory limit " + memory + ": this test reads Mi");
            return new Pod(spec.path("securityContext").path("runAsUser").asLong(), spec.path("securityContext").path("runAsGroup").asLong(),
                    Long.parseLong(memory.substring(0, memory.length() - 2)), container.path("resources").path("limits").path("cpu").asText(),
                    env, args, mounts, kinds, spec.path("terminationGracePeriodSeconds").asLong(),
                    container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong());
        }

        /** The pod's security context and limits as podman options, and its volumes, read-only but for emptyDirs. */
        List<String> securityOptions() {
            List<String> options = new ArrayList<>(List.of("--network", "host", "--passwd=false",
                    "--user", user + ":" + group, "--read-only", "--read-only-tmpfs=false", "--cap-drop", "ALL",
                    "--security-opt", "no-new-privileges", "--memory", memoryMebibytes + "m", "--cpus", cpus));
            mounts.forEach((volume, path) -> options.addAll(List.of("--volume",
                    WORK.resolve(volume).toAbsolutePath() + ":" + path + (volumeKinds.get(volume).equals("emptyDir") ? ":rw" : ":ro"))));
            return options;
        }
    }

    /** One container of the image, started in the foreground: its stdout and stderr go to files of their own. */
    private static final class Run {
        private final String name;
        private final Process process;
        private final Path stdout;
        private final Path stderr;
        private final long startedAt = System.nanoTime();
        private MainProcess.Ports ports;

        private Run(String name, Process process, Path stdout, Path stderr) {
            this.name = name;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static Run start(ContainerImageIT test, String which, String image, Pod pod, String redisUrl) throws IOException {
            String name = NAME + "-" + which;
            test.containers.add(name);
            List<String> command = new ArrayList<>(List.of("podman", "--runtime", runtime(), "run", "--name", name));
            command.addAll(pod.securityOptions());
            Map<String, String> env = new LinkedHashMap<>(pod.env());
            env.put("IDP_REDIS_URL", redisUrl);
            // The host's network is shared with everything else on the machine: the gateway binds free ports.
            env.put("IDP_HTTP_PORT", "0");
            env.put("IDP_MANAGEMENT_PORT", "0");
            env.forEach((variable, value) -> command.addAll(List.of("--env", variable + "=" + value)));
            command.add(image);
            command.addAll(pod.args());
            Path stdout = WORK.resolve(which + ".stdout");
            Path stderr = WORK.resolve(which + ".stderr");
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            return new Run(name, process, stdout, stderr);
        }

        /** How long the container took from `podman run` to its first 200 on /health/ready. */
        Duration awaitReady() {
            ports = MainProcess.awaitPorts(process, stdout, START_TIMEOUT);
            URI ready = URI.create("http://127.0.0.1:" + ports.management() + "/health/ready");
            Polling.await(name + "'s /health/ready", START_TIMEOUT, () -> HttpProbe.status(ready) == 200 || !process.isAlive());
            assertTrue(process.isAlive(), name + " exited before it was ready:\n" + read(stdout) + read(stderr));
            return Duration.ofNanos(System.nanoTime() - startedAt);
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + ports.api());
        }

        /** Whether the container's JVM has {@code file} (a path in the container) mapped: it runs from it. */
        boolean maps(String file) throws IOException, InterruptedException {
            String pid = podmanOutput("inspect", "--format", "{{.State.Pid}}", name).strip();
            return Files.readAllLines(Path.of("/proc", pid, "maps")).stream().anyMatch(line -> line.endsWith(" " + file));
        }

        /**
         * SIGTERM, as the kubelet sends it after the preStop pause: the gateway drains and exits 0 within what the grace
         * period leaves; every line it wrote is one JSON object; it wrote nothing outside its volumes.
         */
        void stopAndCheck(Pod pod) throws IOException, InterruptedException {
            long signalled = System.nanoTime();
            podmanOutput("kill", "--signal", "TERM", name);
            long allowed = pod.terminationGrace() - pod.preStopPause();
            assertTrue(process.waitFor(allowed, TimeUnit.SECONDS), name + " did not exit within " + allowed + " s of SIGTERM");
            System.out.printf("image check: %s exited %d s after SIGTERM (the grace period leaves %d s)%n",
                    name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled), allowed);
            assertEquals(0, process.exitValue(), name + " exited with " + process.exitValue() + ":\n" + read(stderr));
            assertOnlyJsonLines(stdout);
            assertOnlyJsonLines(stderr);
            List<String> changed = new ArrayList<>();
            for (String line : podmanOutput("diff", name).split("\n")) {
                String path = line.length() > 2 ? line.substring(2) : "";
                if (!line.isBlank() && pod.mounts().values().stream().noneMatch(mount -> mount.equals(path) || mount.startsWith(path + "/"))) {
                    changed.add(line);
                }
            }
            assertEquals(List.of(), changed, name + " changed its root filesystem outside its volumes' mount points");
        }

        private static void assertOnlyJsonLines(Path output) throws IOException {
            List<String> lines = Files.readAllLines(output);
            for (String line : lines) {
                JsonNode parsed;
                try {
                    parsed = JSON.readTree(line);
                } catch (IOException e) {
                    parsed = null;
                }
                assertTrue(parsed != null && parsed.isObject(), output.getFileName() + " has a line that is no JSON object: " + line);
            }
            System.out.printf("image check: %s: %d lines, each one JSON object%n", output.getFileName(), lines.size());
        }
    }

    private void disableThroughTheSdk(Run run, EmbeddedRedis redis) {
        try (CognitoIdentityProviderClient client = CognitoIdentityProviderClient.builder()
                .endpointOverride(run.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            client.adminDisableUser(request -> request.userPoolId(POOL).username("user-0000001"));
        }
        Vertx vertx = Vertx.vertx();
        try (BlockingRedis contents = new BlockingRedis(vertx, redis.url())) {
            assertEquals("false", contents.hash("idp:user:{" + POOL + ":user-0000001}").get("enabled"));
            assertEquals(List.of(), List.copyOf(contents.keys("idp:token*:{" + POOL + ":user-0000001}*")), "tokens outlived the disable");
            assertEquals("true", contents.hash("idp:user:{" + POOL + ":user-0000002}").get("enabled"), "another user was disabled");
        } finally {
            vertx.close();
        }
    }

    /** The directories that stand for the pod's volumes: the ConfigMap's file, the credentials file, empty emptyDirs. */
    private static void prepareVolumes(Pod pod) throws IOException {
        deleteRecursively(WORK);
        for (Map.Entry<String, String> volume : pod.volumeKinds().entrySet()) {
            Path directory = Files.createDirectories(WORK.resolve(volume.getKey()));
            switch (volume.getValue()) {
                case "configMap" -> Files.copy(CONFIGURATION, directory.resolve(CONFIGURATION.getFileName()));
                case "secret" -> Files.copy(CREDENTIALS, directory.resolve(Path.of(pod.env().get("IDP_CREDENTIALS")).getFileName()));
                case "emptyDir" -> { }
                default -> throw new AssertionError("volume " + volume.getKey() + ": this test knows no such kind of volume");
            }
        }
        // A mount inside another volume's mount: the kubelet makes its mount point in the outer volume, and so does this.
        for (String path : pod.mounts().values()) {
            pod.mounts().forEach((outer, outerPath) -> {
                if (path.startsWith(outerPath + "/")) {
                    createDirectories(WORK.resolve(outer).resolve(Path.of(outerPath).relativize(Path.of(path))));
                }
            });
        }
        // Readable by the pod's user, as the kubelet makes them; an emptyDir writable by anyone (0777, as the kubelet makes it).
        for (Path file : files(WORK)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        for (Map.Entry<String, String> volume : pod.volumeKinds().entrySet()) {
            if (volume.getValue().equals("emptyDir")) {
                Files.setPosixFilePermissions(WORK.resolve(volume.getKey()), PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a path in the container's emptyDir lies on the host. */
    private static Path volumePath(Pod pod, String inContainer) {
        for (Map.Entry<String, String> mount : pod.mounts().entrySet()) {
            if (inContainer.startsWith(mount.getValue() + "/")) {
                return WORK.resolve(mount.getKey()).resolve(Path.of(mount.getValue()).relativize(Path.of(inContainer)));
            }
        }
        throw new AssertionError(inContainer + " is on no volume");
    }

    /** Loads the image tarball into podman's store; its name as podman knows it. */
    private static String load(Path tar) throws IOException, InterruptedException {
        String output = podmanOutput("load", "--input", tar.toString());
        String prefix = "Loaded image: ";
        return Stream.of(output.split("\n")).filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()).strip())
                .findFirst().orElseThrow(() -> new AssertionError("podman load named no image:\n" + output));
    }

    private static void podman(List<String> run, List<String> options, List<String> rest) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--runtime", runtime()));
        command.addAll(run);
        command.addAll(options);
        command.addAll(rest);
        podmanOutput(command.toArray(String[]::new));
    }

    private static String podmanOutput(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        Process podman = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(podman.getInputStream().readAllBytes());
        assertTrue(podman.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " hung");
        assertEquals(0, podman.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    private static String runtime() {
        return System.getProperty("image.runtime", "runc");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.toList();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            List<Path> all = files(root);
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.delete(all.get(i));
            }
        }
        Files.createDirectories(root);
    }
}
