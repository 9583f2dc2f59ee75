package dev.idpgateway.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.ConsoleTarget;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.appender.LoggingEventAsyncDisruptorAppender;
import net.logstash.logback.encoder.LogstashEncoder;

import java.io.BufferedOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Logback's configuration, in code: an XML configuration costs start-up about a quarter of a second
 * (the XML parser and Joran's model). Read from a system property or the environment:
 * {@value Logging#FORMAT} ({@code json}, the default: one JSON object per line; or {@code text}),
 * {@value #ROOT_LEVEL} (root level, {@code INFO}) and {@value #ACCESS_LEVEL} ({@code INFO}, or
 * {@code OFF} to drop the per-request lines). A value it does not know is reported on the log and
 * the default used. Logback's XML still wins where one is asked for: with a
 * {@code logback.configurationFile} system property, or a {@code logback-test.xml} on the class path.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String ROOT_LEVEL = "IDP_LOG_LEVEL";
    static final String ACCESS_LEVEL = "IDP_ACCESS_LOG_LEVEL";
    /** Event loops hand lines to this ring and never wait for the console: when it is full, lines are dropped. */
    private static final int QUEUE_LINES = 8192;
    /**
     * When idle, the writer looks for new lines every 5 ms instead of being woken for each one: an event loop's
     * line then costs a slot in the ring and no system call, and lines reach the console in batches. Each look
     * is a sleep and a wake-up of its own (at 1 ms they took 2% of a loaded gateway's CPU); 5 ms of lines at
     * 30,000 requests a second are 150 of the ring's 8192 slots.
     */
    private static final String WRITER_WAIT = "sleeping{0,5000000}";
    private static final int CONSOLE_BUFFER_BYTES = 64 * 1024;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        List<String> problems = new ArrayList<>();
        OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder(context, setting(Logging.FORMAT, "json"), problems));
        console.setOutputStream(new BufferedOutputStream(ConsoleTarget.SystemOut.getStream(), CONSOLE_BUFFER_BYTES));
        console.start();

        LoggingEventAsyncDisruptorAppender async = new LoggingEventAsyncDisruptorAppender();
        async.setContext(context);
        async.setName("async");
        async.setRingBufferSize(QUEUE_LINES);
        async.setWaitStrategyType(WRITER_WAIT);
        async.addAppender(console);
        async.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(ROOT_LEVEL, problems));
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.vertx").setLevel(Level.INFO);
        // Its only line is a stack trace for each failure of a connection being set up (TLS refused, wrong password),
        // once per connection: the gateway says the same in words, once per readiness check (ManagementServer).
        context.getLogger("io.vertx.redis.client.impl.RedisConnectionManager").setLevel(Level.OFF);
        context.getLogger(RequestObserver.ACCESS_LOGGER).setLevel(level(ACCESS_LEVEL, problems));
        // Straight to the console: a process that exits at once would lose queued lines.
        root.addAppender(console);
        problems.forEach(problem -> context.getLogger(Logging.class).warn(problem));
        root.detachAppender(console);
        // From now on one system call writes a batch: the async appender flushes the console at the end of each.
        console.setImmediateFlush(false);
        root.addAppender(async);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format, List<String> problems) {
        if (format.equalsIgnoreCase("text")) {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setContext(context);
            text.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg %kvp%n");
            text.start();
            return text;
        }
        if (!format.equalsIgnoreCase("json")) {
            problems.add(Logging.FORMAT + "=" + format + " is not json or text: json is used");
        }
        // time, level, logger, thread, message and the key-value pairs
        LogstashEncoder json = new LogstashEncoder();
        json.setContext(context);
        json.getFieldNames().setTimestamp("time");
        json.getFieldNames().setVersion("[ignore]");
        json.getFieldNames().setLevelValue("[ignore]");
        json.getFieldNames().setLogger("logger");
        json.getFieldNames().setThread("thread");
        json.start();
        return json;
    }

    private static Level level(String name, List<String> problems) {
        String value = setting(name, "INFO");
        Level level = Level.toLevel(value, null);
        if (level == null) {
            problems.add(name + "=" + value + " is not a log level (TRACE, DEBUG, INFO, WARN, ERROR, OFF): INFO is used");
            return Level.INFO;
        }
        return level;
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
