package dev.idpgateway.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script kept as a classpath resource under {@code lua/}, run by its SHA-1 with EVALSHA.
 * When Redis has lost it (restart, failover, SCRIPT FLUSH) the call is repeated once with EVAL,
 * which loads the script on the very node that owns the keys and runs it: transparent to callers
 * and right on Redis Cluster, where each master has its own script cache.
 */
public final class LuaScript {
    private final String source;
    private final String sha1;

    private LuaScript(String source) {
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /** The script {@code lua/<name>.lua}; {@code name} may name a folder, e.g. {@code user/disable}. */
    public static LuaScript fromResource(String name) {
        return new LuaScript(read(name));
    }

    /**
     * One script made of the resources {@code parts} in order, e.g. a shared prelude, then the script of
     * one operation: Redis runs a script as one unit and cannot call another, so the code several
     * scripts share is prepended. Line numbers in Redis error messages count from the start of the first part.
     */
    public static LuaScript composed(String... parts) {
        StringBuilder source = new StringBuilder();
        for (String part : parts) {
            source.append(read(part)).append('\n');
        }
        return new LuaScript(source.toString());
    }

    private static String read(String name) {
        String path = "/lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("script resource missing: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + path, e);
        }
    }

    String sha1() {
        return sha1;
    }

    public String source() {
        return source;
    }

    /** SCRIPT LOAD, so that the first request finds the script cached. */
    public Future<Void> load(RedisCommands redis) {
        return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).mapEmpty();
    }

    public Future<Response> run(RedisCommands redis, List<String> keys, List<String> args) {
        return redis.send(call(Command.EVALSHA, sha1, keys, args)).recover(failure -> isNoScript(failure)
                ? redis.send(call(Command.EVAL, source, keys, args))
                : Future.failedFuture(failure));
    }

    private static Request call(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static boolean isNoScript(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
