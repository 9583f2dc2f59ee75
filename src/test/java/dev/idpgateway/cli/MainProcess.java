package dev.idpgateway.cli;

import dev.idpgateway.testing.Polling;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The gateway's command line in a process of its own, as it runs from its jar: without the test classes (and their logback-test.xml). */
public final class MainProcess {
    /** The start line, in plain or JSON logs: "idp-gateway serving http on 0.0.0.0:<api> (management port <management>)". */
    private static final Pattern START_LINE = Pattern.compile("idp-gateway serving \\S+ on \\S+:(\\d+) \\(management port (\\d+)\\)");

    private MainProcess() {
    }

    /** The ports a gateway process bound: with IDP_HTTP_PORT=0 and IDP_MANAGEMENT_PORT=0 only its start line knows them. */
    public record Ports(int api, int management) {
    }

    public static ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", runtimeClasspath(), "dev.idpgateway.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Waits for the start line in {@code log}, the process's output; fails with the log if the process exits first. */
    public static Ports awaitPorts(Process process, Path log, Duration timeout) {
        Polling.await("the gateway's start line in " + log, timeout, () -> ports(log).isPresent() || !process.isAlive());
        return ports(log).orElseThrow(() -> new AssertionError("the gateway exited before it served:\n" + read(log)));
    }

    private static Optional<Ports> ports(Path log) {
        Matcher startLine = START_LINE.matcher(read(log));
        return startLine.find()
                ? Optional.of(new Ports(Integer.parseInt(startLine.group(1)), Integer.parseInt(startLine.group(2))))
                : Optional.empty();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String runtimeClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
