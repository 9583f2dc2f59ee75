package dev.idpgateway.cli;

import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.dev.DemoData;
import dev.idpgateway.dev.DevEnvironment;
import dev.idpgateway.redis.RedisUrls;

/** What dev mode prints once it serves: where it is, what it holds, and AWS CLI commands to try. */
final class DevBanner {
    private DevBanner() {
    }

    static String text(GatewayConfig config, DevEnvironment environment) {
        DemoData demo = environment.demo();
        String endpoint = (config.http().tls().enabled() ? "https" : "http") + "://localhost:" + config.http().port();
        String pool = demo.pool().poolId();
        boolean signed = config.auth().mode() == GatewayConfig.AuthMode.SIGV4;
        String credentials = signed
                ? "export AWS_ACCESS_KEY_ID=" + DevEnvironment.ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY="
                        + DevEnvironment.SECRET_ACCESS_KEY + " AWS_DEFAULT_REGION=" + config.auth().region()
                : "export AWS_ACCESS_KEY_ID=any AWS_SECRET_ACCESS_KEY=any AWS_DEFAULT_REGION=" + config.auth().region();
        return String.join("\n",
                "",
                "idp-gateway dev mode is serving",
                "  API         " + endpoint + "   (auth: " + config.auth().mode().name().toLowerCase() + ")",
                "  health      http://localhost:" + config.management().port() + "/health/ready",
                "  redis       " + RedisUrls.mask(environment.redisUrl()) + "   (embedded; discarded on exit)",
                "  demo data   " + demo,
                signed ? "  principal   dev-admin, allowed cognito-idp:* on every pool (dev only)" : "",
                "",
                "Try it with the AWS CLI:",
                "  " + credentials,
                "  aws cognito-idp admin-disable-user --endpoint-url " + endpoint + " --user-pool-id " + pool
                        + " --username " + demo.demoUsername(),
                "  aws cognito-idp admin-disable-user --endpoint-url " + endpoint + " --user-pool-id " + pool
                        + " --username nobody     # UserNotFoundException",
                "",
                "Stop with Ctrl-C.");
    }
}
