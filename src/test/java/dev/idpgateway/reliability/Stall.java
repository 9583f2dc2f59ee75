package dev.idpgateway.reliability;

import dev.idpgateway.dev.BlockingRedis;
import io.vertx.redis.client.Command;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A redis-server that stops answering, from {@link #of} until {@link #resume}: its process is stopped
 * (SIGSTOP) and resumed (SIGCONT). Connections are still accepted by the kernel, commands get no
 * reply, as with a server stuck in a slow command. Unlike CLIENT PAUSE, which lasts a fixed time, the
 * test ends the stall as soon as it has seen what it needs.
 */
final class Stall {
    private final long pid;

    private Stall(long pid) {
        this.pid = pid;
    }

    /** Stalls the server that {@code redis} talks to. */
    static Stall of(BlockingRedis redis) {
        String info = redis.send(Command.INFO, "server").toString();
        long pid = info.lines().filter(line -> line.startsWith("process_id:"))
                .mapToLong(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("INFO server has no process_id"));
        signal("STOP", pid);
        return new Stall(pid);
    }

    void resume() {
        signal("CONT", pid);
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " exited with " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling redis-server " + pid, e);
        }
    }
}
