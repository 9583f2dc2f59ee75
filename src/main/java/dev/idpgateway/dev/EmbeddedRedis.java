package dev.idpgateway.dev;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real redis-server process on 127.0.0.1 for dev mode and tests. It keeps its port and its
 * own temporary working directory across {@link #stop()}/{@link #kill()} and {@link #start()},
 * so a test can take Redis away mid-test and bring it back with its AOF data.
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.builder().serverArgs("--appendonly", "yes").start()) {
 *     Redis client = Redis.createClient(vertx, redis.url());
 * }
 * }</pre>
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String HOST = "127.0.0.1";
    private static final String READY_LINE = "Ready to accept connections";
    private static final String CONFIG_FILE = "redis.conf";
    private static final int OUTPUT_LINES_KEPT = 40;
    private static final int FREE_PORT_ATTEMPTS = 3;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** Servers not closed yet: the shutdown hook closes them if their owner never did. */
    private static final Set<EmbeddedRedis> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(EmbeddedRedis::close), "embedded-redis-cleanup"));
    }

    private final boolean pickFreePort;
    private final List<String> serverArgs;
    private final String configFile;
    private final String readyLine;
    private final Duration startTimeout;
    private final Path workDir;
    private int port;
    private Process process;
    private boolean closed;

    private EmbeddedRedis(Builder builder) {
        this.pickFreePort = builder.port == 0;
        this.port = builder.port;
        this.serverArgs = List.copyOf(builder.serverArgs);
        this.configFile = builder.configFile;
        this.readyLine = builder.readyLine;
        this.startTimeout = builder.startTimeout;
        try {
            this.workDir = Files.createTempDirectory("idp-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a working directory for redis-server", e);
        }
        LIVE.add(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server (again) and returns once it accepts connections. A restart keeps the
     * port and the working directory. Does nothing when it is already running.
     *
     * @throws IllegalStateException when the server exits or is not ready within the start
     *     timeout; the message carries the server's last output lines
     */
    public synchronized EmbeddedRedis start() {
        if (closed) {
            throw new IllegalStateException("EmbeddedRedis is closed");
        }
        if (isRunning()) {
            return this;
        }
        // A free port found by probing can be taken by someone else before redis binds it: the
        // first start retries with another one; later starts must keep the port they had.
        boolean probe = pickFreePort && port == 0;
        for (int attempt = 1; ; attempt++) {
            if (probe) {
                port = freePort();
            }
            try {
                launch();
                return this;
            } catch (PortInUseException e) {
                if (!probe || attempt == FREE_PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage());
                }
                LOG.debug("Port {} was taken meanwhile, trying another", port);
            }
        }
    }

    /** The port; 0 only before the first start of a server built with port 0. */
    public synchronized int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, the connection string for the Vert.x Redis client. */
    public String url() {
        return "redis://" + HOST + ":" + port();
    }

    /** The server's working directory (RDB, AOF, cluster nodes file); deleted on close. */
    public Path workDir() {
        return workDir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Graceful stop (SIGTERM, the server flushes its AOF), waiting until the process has exited. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("redis-server on port {} ignored SIGTERM for {}, killing it", port, STOP_TIMEOUT);
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL, as a crash would: nothing is flushed. Waits until the process has exited. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server and deletes its working directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        LIVE.remove(this);
        deleteRecursively(workDir);
    }

    private void launch() throws PortInUseException {
        List<String> command = new ArrayList<>(List.of(RedisServerBinary.path().toString()));
        if (configFile != null) {
            command.add(writeConfigFile().toString()); // redis-server reads a config file only as its first argument
        }
        command.addAll(List.of(
                "--port", Integer.toString(port),
                "--bind", HOST,
                "--dir", workDir.toString(),
                "--save", ""));
        command.addAll(serverArgs); // last, so that they can override the defaults above
        LOG.debug("Starting {}", command);
        Process started;
        try {
            started = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.get(0), e);
        }
        process = started;

        CompletableFuture<Void> ready = new CompletableFuture<>();
        Deque<String> output = new ArrayDeque<>();
        int boundPort = port;
        Thread reader = new Thread(() -> readOutput(started, boundPort, readyLine, output, ready),
                "redis-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("redis-server ready on port {} (pid {})", port, started.pid());
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            kill();
            // The process is gone, so the reader reaches the end of its output promptly.
            joinQuietly(reader);
            String lines;
            synchronized (output) {
                lines = String.join("\n", output);
            }
            String reason = e instanceof TimeoutException
                    ? "was not ready within " + startTimeout
                    : "exited with code " + started.exitValue();
            String message = "redis-server on port " + port + " " + reason + "; its output:\n" + lines;
            if (lines.contains("Address already in use")) {
                throw new PortInUseException(message);
            }
            throw new IllegalStateException(message);
        }
    }

    /** Logs every line at debug, keeps the last ones for error messages, signals readiness. */
    private static void readOutput(Process source, int port, String readyLine, Deque<String> output,
                                   CompletableFuture<Void> ready) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(source.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                LOG.debug("[redis:{}] {}", port, line);
                synchronized (output) {
                    if (output.size() == OUTPUT_LINES_KEPT) {
                        output.removeFirst();
                    }
                    output.addLast(line);
                }
                if (line.contains(readyLine)) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            // Process.destroy closes the stream under us: the normal end of a stop or kill.
            LOG.debug("Output of redis-server on port {} closed: {}", port, e.getMessage());
        }
        ready.completeExceptionally(new IllegalStateException("redis-server exited"));
    }

    /**
     * Written once: a sentinel rewrites its own file with what it learned (replicas, epochs), and a
     * restarted sentinel must read that back, not the original.
     */
    private Path writeConfigFile() {
        Path file = workDir.resolve(CONFIG_FILE);
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, configFile);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }

    private static final class PortInUseException extends Exception {
        PortInUseException(String message) {
            super(message, null, false, false);
        }
    }

    /** Options of an {@link EmbeddedRedis}; {@link #start()} builds and starts it. */
    public static final class Builder {
        private int port;
        private final List<String> serverArgs = new ArrayList<>();
        private String configFile;
        private String readyLine = READY_LINE;
        private Duration startTimeout = Duration.ofSeconds(20);

        private Builder() {
        }

        /** The port; 0 (the default) picks a free one, kept across restarts. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Extra redis-server arguments, e.g. {@code "--appendonly", "yes"}; they win over the defaults. */
        public Builder serverArgs(String... args) {
            serverArgs.addAll(List.of(args));
            return this;
        }

        /**
         * A configuration file with this content, written to the working directory and given to
         * redis-server first; needed where a server insists on a file, as a sentinel does.
         */
        public Builder configFile(String content) {
            this.configFile = content;
            return this;
        }

        /** The output line that means the server is ready; "Ready to accept connections" by default. */
        public Builder readyLine(String line) {
            this.readyLine = line;
            return this;
        }

        /** How long start waits for the ready line; 20 s by default. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** A server that is not started yet. */
        public EmbeddedRedis build() {
            return new EmbeddedRedis(this);
        }

        public EmbeddedRedis start() {
            EmbeddedRedis redis = build();
            try {
                return redis.start();
            } catch (RuntimeException e) {
                redis.close();
                throw e;
            }
        }
    }
}
