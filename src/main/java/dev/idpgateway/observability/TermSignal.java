package dev.idpgateway.observability;

import sun.misc.Signal;

/**
 * Makes SIGTERM a normal exit. The JVM's own handling runs the shutdown hooks too, but then exits
 * with 143, which Kubernetes and process supervisors report as a failure; {@code System.exit(0)}
 * runs the same hooks (the graceful stop) and exits with 0.
 */
public final class TermSignal {
    private TermSignal() {
    }

    public static void exitNormally() {
        Signal.handle(new Signal("TERM"), signal -> System.exit(0));
    }
}
