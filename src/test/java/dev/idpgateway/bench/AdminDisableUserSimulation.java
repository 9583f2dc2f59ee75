package dev.idpgateway.bench;

import dev.idpgateway.dev.Seeder;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The load test users run against a running gateway: AdminDisableUser at a constant arrival rate
 * (open model: new requests arrive whatever the latency, after a linear ramp), each request signed
 * with SigV4 by the AWS SDK's signer as a real client signs it. Most requests disable users of a
 * pool seeded with the {@code seed} command, rotating over its users; a share names unknown users
 * (UserNotFoundException) and a share goes to a pool with a low rate limit (TooManyRequestsException),
 * naming its first seeded user.
 * Those answers are expected outcomes, not failures; anything else (a 500, another error, a timeout)
 * fails the request. The run fails when the p99 latency or the failed share is over its bound.
 *
 * <p>Settings (system properties, {@code -Dbench.<name>=...}): see {@link Settings}.
 */
public class AdminDisableUserSimulation extends Simulation {
    private static final String TARGET = "AWSCognitoIdentityProviderService.AdminDisableUser";
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String SERVICE = "cognito-idp";

    /** Every setting with its default. */
    record Settings(URI endpoint, String pool, int users, String throttledPool, double rate, Duration ramp,
                    Duration duration, double unknownPercent, double throttledPercent, String accessKeyId,
                    String secret, String region, int p99Millis, double maxFailedPercent) {
        static Settings fromSystemProperties() {
            return new Settings(
                    URI.create(property("endpoint", "http://127.0.0.1:8080")),
                    property("pool", "us-east-1_LoadTest"),
                    Integer.parseInt(property("users", "1000")),
                    property("throttledPool", "us-east-1_Throttled"),
                    Double.parseDouble(property("rate", "100")),
                    Duration.ofSeconds(Long.parseLong(property("rampSeconds", "10"))),
                    Duration.ofSeconds(Long.parseLong(property("durationSeconds", "60"))),
                    Double.parseDouble(property("unknownPercent", "5")),
                    Double.parseDouble(property("throttledPercent", "5")),
                    // Dev mode's published principal (README): replace it for anything but dev mode.
                    property("accessKeyId", "AKIDIDPGATEWAYDEV001"),
                    property("secret", "idp-gateway-dev-secret"),
                    property("region", "us-east-1"),
                    Integer.parseInt(property("p99Millis", "50")),
                    Double.parseDouble(property("maxFailedPercent", "1")));
        }

        private static String property(String name, String fallback) {
            return System.getProperty("bench." + name, fallback);
        }
    }

    private final Settings settings = Settings.fromSystemProperties();
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsIdentity identity = AwsCredentialsIdentity.create(settings.accessKeyId(), settings.secret());
    /** Rotates over the seeded users, so that consecutive requests disable different users. */
    private final AtomicLong nextUser = new AtomicLong();

    {
        HttpProtocolBuilder protocol = http.baseUrl(settings.endpoint().toString())
                .contentTypeHeader(JSON_11)
                // Like a service with a connection pool, not one new connection per request.
                .shareConnections();

        double known = 100 - settings.unknownPercent() - settings.throttledPercent();
        ScenarioBuilder disable = scenario("AdminDisableUser").exec(randomSwitch().on(
                percent(known).then(signed(settings.pool(), this::seededUser,
                        call("disable").check(status().is(200)))),
                percent(settings.unknownPercent()).then(signed(settings.pool(), this::unknownUser,
                        call("unknown user").check(status().is(400),
                                header("x-amzn-ErrorType").is("UserNotFoundException")))),
                percent(settings.throttledPercent()).then(signed(settings.throttledPool(), () -> Seeder.username(1),
                        // The pool's limit lets a few through each period.
                        call("throttled pool").check(status().in(200, 400),
                                header("x-amzn-ErrorType").withDefault("none").in("none", "TooManyRequestsException"))))));

        OpenInjectionStep ramp = rampUsersPerSec(1).to(settings.rate()).during(settings.ramp());
        OpenInjectionStep steady = constantUsersPerSec(settings.rate()).during(settings.duration());
        setUp(disable.injectOpen(ramp, steady)).protocols(protocol)
                .assertions(
                        global().responseTime().percentile(99.0).lt(settings.p99Millis()),
                        global().failedRequests().percent().lt(settings.maxFailedPercent()));
    }

    /** Signs a request for this user as the SDK would at this moment, then sends it with {@code call}. */
    private ChainBuilder signed(String pool, Supplier<String> username, HttpRequestActionBuilder call) {
        return exec(session -> sign(session, "{\"UserPoolId\":\"" + pool + "\",\"Username\":\"" + username.get() + "\"}"))
                .exec(call);
    }

    private Session sign(Session session, String body) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(settings.endpoint())
                .putHeader("Content-Type", JSON_11)
                .putHeader("X-Amz-Target", TARGET)
                .build();
        SdkHttpRequest signed = signer.sign(r -> r
                .identity(identity)
                .request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, settings.region())).request();
        return session.set("body", body)
                .set("amzDate", signed.firstMatchingHeader("X-Amz-Date").orElseThrow())
                .set("contentSha256", signed.firstMatchingHeader("x-amz-content-sha256").orElseThrow())
                .set("authorization", signed.firstMatchingHeader("Authorization").orElseThrow());
    }

    private static HttpRequestActionBuilder call(String name) {
        return http(name).post("/")
                .header("X-Amz-Target", TARGET)
                .header("X-Amz-Date", "#{amzDate}")
                .header("x-amz-content-sha256", "#{contentSha256}")
                .header("Authorization", "#{authorization}")
                .body(StringBody("#{body}"));
    }

    private String seededUser() {
        return Seeder.username((int) (nextUser.getAndIncrement() % settings.users()) + 1);
    }

    private String unknownUser() {
        return "ghost-" + ThreadLocalRandom.current().nextInt(1_000_000_000);
    }
}
