package dev.idpgateway.observability;

import dev.idpgateway.cli.MainProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    @Test
    void settingsItDoesNotKnowAreReportedAndTheDefaultsUsed() throws Exception {
        List<String> lines = logLines(Map.of("IDP_LOG_FORMAT", "yaml", "IDP_LOG_LEVEL", "loud", "IDP_ACCESS_LOG_LEVEL", "some"));

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
        List<String> lines = logLines(Map.of("IDP_LOG_FORMAT", "TEXT", "IDP_LOG_LEVEL", "verbose"));

        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[main] Logging - IDP_LOG_LEVEL=verbose is not a log level.*"),
                lines.get(0));
    }

    @Test
    void knownSettingsAreQuiet() throws Exception {
        assertEquals(List.of(), logLines(Map.of("IDP_LOG_FORMAT", "json", "IDP_LOG_LEVEL", "warn", "IDP_ACCESS_LOG_LEVEL", "OFF")));
    }

    /** What {@code help} prints besides its usage text, which starts with "usage". */
    private static List<String> logLines(Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = MainProcess.builder("help").redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("IDP_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        int usage = output.indexOf("usage");
        assertTrue(usage >= 0, output);
        return output.substring(0, usage).lines().toList();
    }
}
