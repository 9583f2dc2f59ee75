package dev.idpgateway.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SampledWarningTest {
    @Test
    void logsOnceAnIntervalAndCountsWhatItLeftOut() {
        Logger log = (Logger) LoggerFactory.getLogger("sampled-warning-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        SampledWarning everyMoment = new SampledWarning(log, 0, TimeUnit.NANOSECONDS);
        SampledWarning hourly = new SampledWarning(log, 1, TimeUnit.HOURS);

        for (int i = 0; i < 1000; i++) {
            hourly.warn("request failed: {}", i);
        }
        assertEquals(1, lines.list.size(), "one line for a thousand alike");
        assertEquals("request failed: 0", lines.list.get(0).getFormattedMessage());

        everyMoment.warn("request failed: {}", "a");
        everyMoment.warn("request failed: {}", "b");
        assertEquals("request failed: b", lines.list.get(lines.list.size() - 1).getFormattedMessage());
        log.detachAppender(lines);
    }
}
