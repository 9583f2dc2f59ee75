package dev.idpgateway.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The gateway's command line in a process of its own, as it runs from its jar: without the test classes (and their logback-test.xml). */
public final class MainProcess {
    private MainProcess() {
    }

    public static ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", runtimeClasspath(), "dev.idpgateway.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static String runtimeClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
