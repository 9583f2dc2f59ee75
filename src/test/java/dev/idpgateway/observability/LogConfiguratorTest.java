package dev.idpgateway.observability;

import dev.idpgateway.cli.MainProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log switches as an operator sets them, in a process of its own (the test class path has a
 * logback-test.xml, which would win). {@code help} configures logging and prints only the usage.
 */
class LogConfiguratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> UNKNOWN_SETTINGS =
            Map.of("IDP_LOG_FORMAT", "yaml", "IDP_LOG_LEVEL", "loud", "IDP_ACCESS_LOG_LEVEL", "some");
    private static final Map<String, String> TEXT = Map.of("IDP_LOG_FORMAT", "TEXT", "IDP_LOG_LEVEL", "verbose");
    private static final Map<String, String> KNOWN_SETTINGS =
            Map.of("IDP_LOG_FORMAT", "json", "IDP_LOG_LEVEL", "warn", "IDP_ACCESS_LOG_LEVEL", "OFF");
    /** One {@code help} process per environment, all started before the tests: their JVM start-ups overlap. */
    private static final Map<Map<String, String>, Run> RUNS = new HashMap<>();
    @TempDir
    static Path dir;

    private record Run(Process process, Path output) {
    }

    @BeforeAll
    static void launch() throws IOException {
        for (Map<String, String> environment : List.of(UNKNOWN_SETTINGS, TEXT, KNOWN_SETTINGS)) {
            Path output = dir.resolve("help-" + RUNS.size() + ".log");
            ProcessBuilder builder = MainProcess.builder("help").redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("IDP_"));
            builder.environment().putAll(environment);
            RUNS.put(environment, new Run(builder.start(), output));
        }
    }

    @AfterAll
    static void stop() {
        RUNS.values().stream().map(Run::process).filter(Process::isAlive).forEach(Process::destroyForcibly);
    }

    @Test
    void settingsItDoesNotKnowAreReportedAndTheDefaultsUsed() throws Exception {
        List<String> lines = logLines(UNKNOWN_SETTINGS);

        assertEquals(3, lines.size(), String.join("\n", lines));
        JsonNode format = JSON.readTree(lines.get(0));
        assertEquals("WARN", format.path("level").asText());
        assertEquals("dev.idpgateway.observability.Logging", format.path("logger").asText());
        assertEquals("IDP_LOG_FORMAT=yaml is not json or text: json is used", format.path("message").asText());
        assertTrue(format.has("time") && format.has("thread"), lines.get(0));
        assertTrue(JSON.readTree(lines.get(1)).path("message").asText().startsWith("IDP_LOG_LEVEL=loud is not a log level"));
        assertTrue(JSON.readTree(lines.get(2)).path("message").asText().startsWith("IDP_ACCESS_LOG_LEVEL=some is not a log level"));
    }

    @Test
    void textIsOneReadableLinePerEvent() throws Exception {
        List<String> lines = logLines(TEXT);

        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[main] Logging - IDP_LOG_LEVEL=verbose is not a log level.*"),
                lines.get(0));
    }

    @Test
    void knownSettingsAreQuiet() throws Exception {
        assertEquals(List.of(), logLines(KNOWN_SETTINGS));
    }

    /** What {@code help} printed in {@code environment} besides its usage text, which starts with "usage". */
    private static List<String> logLines(Map<String, String> environment) throws IOException, InterruptedException {
        Run run = RUNS.get(environment);
        assertTrue(run.process().waitFor(30, TimeUnit.SECONDS), "help did not exit");
        String output = Files.readString(run.output());
        assertEquals(0, run.process().exitValue(), output);
        int usage = output.indexOf("usage");
        assertTrue(usage >= 0, output);
        return output.substring(0, usage).lines().toList();
    }
}
