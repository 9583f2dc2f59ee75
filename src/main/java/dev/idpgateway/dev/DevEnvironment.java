package dev.idpgateway.dev;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What dev mode runs the gateway against: an embedded Redis with the demo data, and a credentials
 * file with one published dev principal. Everything is thrown away on {@link #close()}.
 */
public final class DevEnvironment implements AutoCloseable {
    public static final String ACCESS_KEY_ID = "AKIDIDPGATEWAYDEV001";
    public static final String SECRET_ACCESS_KEY = "idp-gateway-dev-secret";

    private final EmbeddedRedis redis;
    private final Path credentialsFile;
    private final DemoData demo;

    private DevEnvironment(EmbeddedRedis redis, Path credentialsFile, DemoData demo) {
        this.redis = redis;
        this.credentialsFile = credentialsFile;
        this.demo = demo;
    }

    /** Starts Redis on a free port, seeds the demo data and writes the dev credentials. Blocks: not for an event loop. */
    public static DevEnvironment start() {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, redis.url());
        try {
            DemoData demo = DemoData.seed(new IdentityWriter(client)).await(30, TimeUnit.SECONDS);
            return new DevEnvironment(redis, writeCredentials(redis.workDir()), demo);
        } catch (Exception e) {
            redis.close();
            throw new IllegalStateException("dev mode could not seed the demo data: " + e.getMessage(), e);
        } finally {
            client.close();
            vertx.close();
        }
    }

    private static Path writeCredentials(Path dir) {
        try (InputStream in = DevEnvironment.class.getResourceAsStream("/dev/credentials.yaml")) {
            Path file = dir.resolve("dev-credentials.yaml");
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dev credentials", e);
        }
    }

    public String redisUrl() {
        return redis.url();
    }

    public Path credentialsFile() {
        return credentialsFile;
    }

    public DemoData demo() {
        return demo;
    }

    @Override
    public void close() {
        redis.close();
    }
}
