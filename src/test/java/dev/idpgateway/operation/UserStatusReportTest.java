package dev.idpgateway.operation;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class UserStatusReportTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(UserStatusReport.class);

    @BeforeEach
    void listen() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(log);
    }

    @Test
    void answersTheModelsValuesAsTheyAre() {
        UserStatusReport report = new UserStatusReport();
        for (String status : new String[] {"UNCONFIRMED", "CONFIRMED", "ARCHIVED", "COMPROMISED", "UNKNOWN",
                "RESET_REQUIRED", "FORCE_CHANGE_PASSWORD", "EXTERNAL_PROVIDER"}) {
            assertEquals(status, report.answer("us-east-1_A", status));
        }
        assertEquals(0, log.list.size());
    }

    @Test
    void answersAnythingElseAsUnknownAndLogsItOncePerPoolWithoutTheValue() {
        UserStatusReport report = new UserStatusReport();

        assertEquals("UNKNOWN", report.answer("us-east-1_A", "LEGACY_LOCKED"));
        assertEquals("UNKNOWN", report.answer("us-east-1_A", "confirmed"));
        assertEquals("UNKNOWN", report.answer("us-east-1_B", "LEGACY_LOCKED"));

        assertEquals(2, log.list.size());
        assertEquals(true, log.list.get(0).getFormattedMessage().contains("us-east-1_A"));
        assertEquals(true, log.list.get(1).getFormattedMessage().contains("us-east-1_B"));
        log.list.forEach(event -> assertFalse(event.getFormattedMessage().contains("LEGACY_LOCKED")));
    }
}
