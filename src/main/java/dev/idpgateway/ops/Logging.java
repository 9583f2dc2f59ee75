package dev.idpgateway.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * The log switches, read by {@link LogConfigurator} from a system property or the environment:
 * {@value #FORMAT} ({@code json}, the default, or {@code text}), {@value LogConfigurator#ROOT_LEVEL}
 * (root level) and {@value LogConfigurator#ACCESS_LEVEL} ({@code INFO}, or {@code OFF} to drop the
 * per-request lines).
 */
public final class Logging {
    public static final String FORMAT = "IDP_LOG_FORMAT";
    /** Every environment variable the logging configuration reads. */
    public static final Set<String> ENVIRONMENT = Set.of(FORMAT, LogConfigurator.ROOT_LEVEL, LogConfigurator.ACCESS_LEVEL);

    private Logging() {
    }

    /**
     * Switches to the human-readable format unless {@value #FORMAT} chose one: dev mode reads better
     * as text. Logback is configured before {@code main} runs, so it is configured again.
     */
    public static void useTextUnlessChosen() {
        if (System.getProperty(FORMAT) != null || System.getenv(FORMAT) != null) {
            return;
        }
        System.setProperty(FORMAT, "text");
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException("logging was not configured again: " + e.getMessage(), e);
            }
        }
    }

    /** Writes the lines still queued (the appender is asynchronous) and stops logging; the last call before exit. */
    public static void flush() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.stop();
        }
    }
}
