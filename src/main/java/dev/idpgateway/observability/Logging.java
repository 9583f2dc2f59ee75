package dev.idpgateway.observability;

import ch.qos.logback.classic.LoggerContext;
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
     * Makes the human-readable format the default unless {@value #FORMAT} chose one: dev mode reads better
     * as text. Before {@link #start}: logging is configured once.
     */
    public static void useTextUnlessChosen() {
        if (System.getProperty(FORMAT) == null && System.getenv(FORMAT) == null) {
            System.setProperty(FORMAT, "text");
        }
    }

    /** Configures logging now rather than at the first line: a log setting it does not know is reported at once, whatever the command. */
    public static void start() {
        LoggerFactory.getILoggerFactory();
    }

    /** Writes the lines still queued (the appender is asynchronous) and stops logging; the last call before exit. */
    public static void flush() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.stop();
        }
    }
}
