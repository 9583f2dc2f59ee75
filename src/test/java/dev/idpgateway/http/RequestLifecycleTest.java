package dev.idpgateway.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.idpgateway.auth.Authorizer;
import dev.idpgateway.auth.NoAuthentication;
import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.observability.RequestObserver;
import dev.idpgateway.observability.Telemetry;
import dev.idpgateway.operation.Operation;
import dev.idpgateway.operation.RequestContext;
import dev.idpgateway.testing.Polling;
import dev.idpgateway.throttle.Throttle;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request ends once, with one id: in the x-amzn-RequestId header, the access log line and the
 * latency metric, also when a stage throws an exception nobody expected or the port refuses it.
 */
@ExtendWith(VertxExtension.class)
class RequestLifecycleTest {
    private static final Operation<String> BROKEN = new Operation<>() {
        @Override
        public String name() {
            return "BrokenOperation";
        }

        @Override
        public String decode(Buffer body) {
            return "us-east-1_Broken";
        }

        @Override
        public String userPoolId(String input) {
            return input;
        }

        @Override
        public Future<Buffer> execute(String input, RequestContext context) {
            throw new IllegalStateException("a defect inside the operation");
        }
    };
    private static final Throttle UNLIMITED = new Throttle() {
        @Override
        public boolean tryAcquire(String operation, String poolId) {
            return true;
        }

        @Override
        public void forget(String operation, String poolId) {
        }
    };

    private final Logger accessLogger = (Logger) LoggerFactory.getLogger(RequestObserver.ACCESS_LOGGER);
    private final Logger lifecycleLogger = (Logger) LoggerFactory.getLogger(RequestLifecycle.class);
    private final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
    private final ListAppender<ILoggingEvent> errorLog = new ListAppender<>();
    private Level accessLevel;
    private Telemetry telemetry;
    private GatewayVerticle verticle;
    private HttpClient client;

    @BeforeEach
    void serve(Vertx vertx, VertxTestContext test) {
        accessLevel = accessLogger.getLevel();
        accessLogger.setLevel(Level.INFO);
        accessLog.start();
        accessLogger.addAppender(accessLog);
        errorLog.start();
        lifecycleLogger.addAppender(errorLog);

        GatewayConfig config = new ConfigLoader().load(Map.of("IDP_HTTP_PORT", "0", "IDP_AUTH", "none"));
        telemetry = new Telemetry(null);
        RequestLifecycle lifecycle = new RequestLifecycle(
                new RequestObserver(telemetry, List.of(BROKEN.name()), config.rateLimits()));
        ApiHandler api = new ApiHandler(List.of(BROKEN), lifecycle, new NoAuthentication(),
                new Authorizer(List.of("us-east-1"), "000000000000"), UNLIMITED);
        verticle = new GatewayVerticle(config.http(), api, lifecycle, new ConnectionTable(100, 100, telemetry.registry()), null);
        client = vertx.createHttpClient();
        vertx.deployVerticle(verticle).onComplete(test.succeedingThenComplete());
    }

    @AfterEach
    void restoreLogging() {
        accessLogger.detachAppender(accessLog);
        accessLogger.setLevel(accessLevel);
        lifecycleLogger.detachAppender(errorLog);
    }

    @Test
    void anUnexpectedExceptionIsOneInternalErrorUnderOneRequestId(VertxTestContext test) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setPort(verticle.actualPort())
                .setHost("127.0.0.1").setURI("/")
                .putHeader("X-Amz-Target", "AWSCognitoIdentityProviderService." + BROKEN.name())
                .putHeader("Content-Type", "application/x-amz-json-1.1");
        call(request, "{}").onComplete(test.succeeding(response -> test.verify(() -> {
            assertEquals(500, response.status());
            assertEquals("InternalErrorException", response.errorType());
            assertEquals("InternalErrorException", response.body().getString("__type"));
            assertEquals(response.requestId(), accessLogValue("request_id"), "access log line");
            assertEquals("500", accessLogValue("status"));
            assertEquals(1, requests(BROKEN.name(), "InternalErrorException"), "idp_requests_seconds count");
            List<ILoggingEvent> errors = errorLog.list.stream().filter(line -> line.getLevel() == Level.ERROR).toList();
            assertEquals(1, errors.size(), "logged once");
            assertTrue(errors.get(0).getFormattedMessage().contains("request_id=" + response.requestId()),
                    errors.get(0).getFormattedMessage());
            assertNotNull(errors.get(0).getThrowableProxy(), "with the stack trace");
            test.completeNow();
        })));
    }

    @Test
    void aRefusedRequestIsAnsweredAndCountedUnderOneRequestId(VertxTestContext test) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setPort(verticle.actualPort())
                .setHost("127.0.0.1").setURI("/somewhere");
        call(request, "").onComplete(test.succeeding(response -> test.verify(() -> {
            assertEquals(400, response.status());
            assertEquals("UnknownOperationException", response.errorType());
            assertEquals(response.requestId(), accessLogValue("request_id"), "access log line");
            assertEquals(1, requests("Unknown", "UnknownOperationException"), "idp_requests_seconds count");
            test.completeNow();
        })));
    }

    @Test
    void aClientThatLeavesMidBodyIsCountedAsItsOwnErrorNotAsADefect(Vertx vertx, VertxTestContext test) {
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: AWSCognitoIdentityProviderService." + BROKEN.name() + "\r\nContent-Length: 100\r\n\r\n";
        vertx.createNetClient().connect(verticle.actualPort(), "127.0.0.1")
                .compose(socket -> socket.write(head + "{\"UserPoolId\"").compose(written -> socket.close()))
                .compose(closed -> Polling.until(vertx, "the request's access log line", Duration.ofSeconds(10),
                        () -> Future.succeededFuture(!accessLog.list.isEmpty())))
                .onComplete(test.succeeding(logged -> test.verify(() -> {
                    assertEquals("SerializationException", accessLogValue("outcome"));
                    assertEquals(1, requests("Unknown", "SerializationException"), "idp_requests_seconds count");
                    assertEquals(0, requests("Unknown", "InternalErrorException"));
                    assertTrue(errorLog.list.stream().noneMatch(line -> line.getLevel() == Level.ERROR),
                            "no error logged: " + errorLog.list);
                    test.completeNow();
                })));
    }

    private Future<Answer> call(RequestOptions options, String body) {
        return client.request(options).compose(request -> request.send(body)).compose(response -> response.body()
                .map(payload -> new Answer(response, payload.length() == 0 ? new JsonObject() : payload.toJsonObject())));
    }

    private String accessLogValue(String key) {
        assertEquals(1, accessLog.list.size(), "one access log line");
        return accessLog.list.get(0).getKeyValuePairs().stream().filter(pair -> pair.key.equals(key))
                .map(pair -> String.valueOf(pair.value)).findFirst().orElse(null);
    }

    private long requests(String operation, String outcome) {
        Timer timer = telemetry.registry().find("idp.requests").tags("operation", operation, "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private record Answer(HttpClientResponse response, JsonObject body) {
        int status() {
            return response.statusCode();
        }

        String errorType() {
            return response.getHeader("x-amzn-ErrorType");
        }

        String requestId() {
            return response.getHeader("x-amzn-RequestId");
        }
    }
}
