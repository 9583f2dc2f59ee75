package dev.idpgateway.cli;

import dev.idpgateway.config.ConfigException;
import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.dev.DevEnvironment;
import dev.idpgateway.dev.Seeder;
import dev.idpgateway.http.Gateway;
import dev.idpgateway.observability.Logging;
import dev.idpgateway.observability.Telemetry;
import dev.idpgateway.observability.TermSignal;
import dev.idpgateway.redis.RedisClients;
import dev.idpgateway.redis.RedisFailure;
import dev.idpgateway.redis.RedisUrls;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The command line: {@code serve} (the default) runs the gateway with {@code conf/gateway.yaml} and
 * the {@code IDP_*} environment; {@code dev} runs it against an embedded Redis with demo data;
 * {@code seed} writes users for load tests.
 */
public final class CommandLine {
    private CommandLine() {
    }

    public static void run(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        List<String> options = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        if (command.equals("dev")) {
            Logging.useTextUnlessChosen();
        }
        Logging.start();
        try {
            switch (command) {
                case "serve" -> serve(loadAside(System.getenv()), () -> { });
                case "dev" -> dev();
                case "seed" -> seed(SeedOptions.parse(options));
                case "-h", "--help", "help" -> System.out.println(usage());
                default -> throw new UsageException("unknown command '" + command + "'");
            }
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
        } catch (UsageException e) {
            System.err.println(e.getMessage() + "\n\n" + usage());
            System.exit(2);
        }
    }

    /**
     * Reads the configuration on a thread of its own while {@link #serve} builds Vert.x: neither needs the other,
     * and each is mostly first-time class loading (Jackson and SnakeYAML here, Vert.x, Netty and Micrometer there)
     * that the second core can do meanwhile.
     */
    private static CompletableFuture<GatewayConfig> loadAside(Map<String, String> env) {
        return CompletableFuture.supplyAsync(() -> new ConfigLoader().load(env),
                task -> new Thread(task, "idp-gateway-config").start());
    }

    /**
     * Starts the gateway once {@code config} is read and keeps it running until the process is told to stop; then
     * stops it gracefully and closes {@code afterStop}. A configuration error is thrown as it was read.
     */
    private static void serve(CompletableFuture<GatewayConfig> loading, AutoCloseable afterStop) {
        Telemetry telemetry = Telemetry.fromEnvironment(System.getenv());
        Vertx vertx = telemetry.newVertx();
        GatewayConfig config;
        try {
            config = loading.join();
        } catch (CompletionException e) {
            // Vert.x's threads would keep the process alive past the error.
            vertx.close();
            closeQuietly(afterStop);
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(vertx, config, telemetry).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log().error("idp-gateway failed to start: {}", RedisUrls.maskIn(e.getMessage()));
            vertx.close();
            closeQuietly(afterStop);
            Logging.flush();
            System.exit(1);
            return;
        }
        TermSignal.exitNormally();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log().info("stopping: draining in-flight requests");
            try {
                // The drain is bounded by the grace period; the rest is closing connections and Redis.
                gateway.stop().await(config.http().shutdownGracePeriod().toSeconds() + 30, TimeUnit.SECONDS);
                // Awaited on its own: a future of the gateway's event loop cannot tell when that loop is gone.
                vertx.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                log().warn("stop did not complete cleanly: {}", e.getMessage());
            }
            closeQuietly(afterStop);
            telemetry.close();
            Logging.flush();
        }, "idp-gateway-shutdown"));
    }

    /** The gateway against an embedded Redis with demo data and a published dev principal. */
    private static void dev() {
        DevEnvironment environment = DevEnvironment.start();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("IDP_REDIS_URL", environment.redisUrl());
        env.put("IDP_REDIS_MODE", "standalone");
        env.putIfAbsent("IDP_AUTH", "sigv4");
        env.put("IDP_CREDENTIALS", environment.credentialsFile().toString());
        GatewayConfig config;
        try {
            config = new ConfigLoader().load(env);
        } catch (ConfigException e) {
            environment.close();
            throw e;
        }
        serve(CompletableFuture.completedFuture(config), environment);
        System.out.println(DevBanner.text(config, environment));
    }

    /** Connects as the gateway would: the same configuration and IDP_REDIS_* variables (user, password, TLS). */
    private static void seed(SeedOptions options) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (options.redisUrl() != null) {
            env.put("IDP_REDIS_URL", options.redisUrl());
        }
        GatewayConfig.Redis redis = new ConfigLoader().loadRedis(env);
        try {
            System.out.println(Seeder.run(RedisClients.connectionOptions(redis), options.poolId(), options.users(),
                    options.tokensPerUser()));
        } catch (Throwable e) { // the Redis client's error replies (WRONGPASS, say) are Throwables, not Exceptions
            System.err.println("seed failed against " + RedisUrls.mask(redis.urls()) + ": "
                    + RedisUrls.maskIn(RedisFailure.describe(e, redis.username())));
            System.exit(1);
        }
        System.exit(0);
    }

    /** Not a static field: that would configure logging before {@link #run} has chosen dev mode's format. */
    private static Logger log() {
        return LoggerFactory.getLogger(CommandLine.class);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log().warn("clean-up failed: {}", e.getMessage());
        }
    }

    private static String usage() {
        return String.join("\n",
                "usage: java -jar idp-gateway.jar [serve | dev | seed ... | help]",
                "  serve   run the gateway (the default). Configuration: conf/gateway.yaml, IDP_CONFIG and",
                "          " + String.join(", ", ConfigLoader.ENV_OVERRIDES.keySet().stream().sorted().toList()),
                "  dev     run it against an embedded Redis with demo data and a dev principal (prints how to call it)",
                "  seed    write users for load tests:",
                "          seed --pool <poolId> [--users N] [--tokens-per-user M] [--redis-url redis://host:port]",
                "          (defaults: 1000 users, 3 tokens each, IDP_REDIS_URL or redis://127.0.0.1:6379)",
                "  help    this text");
    }
}
