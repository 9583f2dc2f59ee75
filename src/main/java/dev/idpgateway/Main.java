package dev.idpgateway;

import dev.idpgateway.config.ConfigException;
import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line: {@code serve} (the default) runs the gateway with {@code conf/gateway.yaml} and
 * the {@code IDP_*} environment; {@code dev} runs it against an embedded Redis with demo data;
 * {@code seed} writes users for load tests.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        try {
            switch (command) {
                case "serve" -> serve(new ConfigLoader().load(System.getenv()));
                case "-h", "--help", "help" -> System.out.println(usage());
                default -> {
                    System.err.println("unknown command '" + command + "'\n" + usage());
                    System.exit(2);
                }
            }
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Starts the gateway and keeps it running until the process is told to stop. */
    static Vertx serve(GatewayConfig config) {
        Vertx vertx = Vertx.vertx();
        Gateway gateway;
        try {
            gateway = Gateway.start(vertx, config).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error("idp-gateway failed to start: {}", e.getMessage());
            vertx.close();
            if (e instanceof ConfigException configError) {
                throw configError;
            }
            System.exit(1);
            return vertx;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: draining in-flight requests");
            try {
                gateway.stop().eventually(vertx::close).await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("stop did not complete cleanly: {}", e.getMessage());
            }
        }, "idp-gateway-shutdown"));
        return vertx;
    }

    private static String usage() {
        return String.join("\n",
                "usage: java -jar idp-gateway.jar [command]",
                "  serve   run the gateway (default); configuration: conf/gateway.yaml, IDP_CONFIG and "
                        + String.join(", ", ConfigLoader.ENV_OVERRIDES.keySet().stream().sorted().toList()),
                "  help    this text");
    }
}
