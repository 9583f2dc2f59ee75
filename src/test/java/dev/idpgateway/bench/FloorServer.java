package dev.idpgateway.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.idpgateway.config.ConfigLoader;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.observability.Telemetry;
import dev.idpgateway.protocol.AwsResponses;
import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.protocol.RequestIds;
import dev.idpgateway.redis.RedisClients;
import dev.idpgateway.store.AuditContext;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.store.NoSuchPoolException;
import dev.idpgateway.store.NoSuchUserException;
import dev.idpgateway.store.RedisUserStore;
import dev.idpgateway.store.UserStore;
import dev.idpgateway.store.UserUpdate;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.VerticleBase;

import java.io.IOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's floor (issue 17): the least a server can do to answer AdminDisableUser with the gateway's
 * Redis work. It reads the body, takes UserPoolId and Username with Jackson and runs the disable through the
 * gateway's own {@link RedisUserStore} on the client the gateway builds ({@link RedisClients}: one pipelined
 * connection per event loop), so its scripts, resolution reads and audit write are the gateway's, and follow
 * any change to them. Nothing else: no authentication, validation, throttle, metrics, tracing or access log.
 * It answers {@code {}}, or the AWS error JSON the gateway would send for what the store reported.
 *
 * <p>{@code FloorServer <port> <redis-url>}: the other settings (key prefix, command timeout, pool cache, audit
 * length) are the gateway's, read as the gateway reads them ({@code IDP_CONFIG}, {@code IDP_*}). One instance per
 * event loop, as many as the gateway deploys by default. {@code GET /outcomes} answers how many requests ended in
 * each outcome ({@code Success} or the error's type), so that src/bench/run.sh can check its rows.
 */
public final class FloorServer extends VerticleBase {
    private static final String OPERATION = "AdminDisableUser";
    /** The benchmark's principal: the gateway's audit events name it, so the floor's do too. */
    private static final String CALLER = "bench";
    private static final String SUCCESS = "Success";
    private static final Buffer EMPTY_OBJECT = Buffer.buffer("{}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final int READY_ATTEMPTS = 20;
    private static final long READY_RETRY_MILLIS = 250;
    private static final Map<ErrorCode, Buffer> ERROR_BODIES = new EnumMap<>(ErrorCode.class);

    static {
        for (ErrorCode code : ErrorCode.values()) {
            ERROR_BODIES.put(code, new JsonObject().put("__type", code.type()).put("message", code.defaultMessage()).toBuffer());
        }
    }

    private final UserStore store;
    private final int port;
    private final ConcurrentMap<String, LongAdder> outcomes;

    private FloorServer(UserStore store, int port, ConcurrentMap<String, LongAdder> outcomes) {
        this.store = store;
        this.port = port;
        this.outcomes = outcomes;
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: FloorServer <port> <redis-url>");
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("IDP_REDIS_URL", args[1]);
        // Nothing here authenticates; "none" spares the credentials file the gateway's configuration would need.
        env.put("IDP_AUTH", "none");
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(Telemetry.EVENT_LOOPS));
        start(vertx, Integer.parseInt(args[0]), new ConfigLoader().load(env))
                .onSuccess(id -> System.out.println("floor server listening on port " + args[0]))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    vertx.close();
                });
    }

    /** Builds the store as the gateway does, loads its scripts, and deploys one server per event loop. */
    static Future<String> start(Vertx vertx, int port, GatewayConfig config) {
        GatewayConfig.Redis redis = config.redis();
        UserStore store = new RedisUserStore(RedisClients.create(vertx, redis), new KeySchema(redis.keyPrefix()),
                redis.commandTimeout(), redis.poolCacheTtl(), config.audit().maxLength(), redis.durability(),
                redis.username(), RedisClients.holdsEveryKeyOnOneNode(redis));
        ConcurrentMap<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        return ready(vertx, store, READY_ATTEMPTS).compose(loaded -> vertx.deployVerticle(
                () -> new FloorServer(store, port, outcomes),
                new DeploymentOptions().setInstances(Telemetry.EVENT_LOOPS)));
    }

    /** The scripts loaded; tried again while a loaded machine keeps the first answers past the command timeout. */
    private static Future<Void> ready(Vertx vertx, UserStore store, int attempts) {
        return store.checkReady().recover(failure -> attempts <= 1 ? Future.failedFuture(failure)
                : vertx.timer(READY_RETRY_MILLIS).compose(waited -> ready(vertx, store, attempts - 1)));
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setPort(port).setTcpNoDelay(true).setHttp2ClearTextEnabled(false))
                .requestHandler(this::handle)
                .listen();
    }

    private void handle(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET) {
            JsonObject counts = new JsonObject();
            outcomes.forEach((outcome, count) -> counts.put(outcome, count.sum()));
            request.response().end(counts.toBuffer());
            return;
        }
        request.body().onSuccess(body -> disable(body, request.response()));
    }

    private void disable(Buffer body, HttpServerResponse response) {
        Input input;
        try {
            input = JSON.readValue(body.getBytes(), Input.class);
        } catch (IOException e) {
            answer(response, ErrorCode.SERIALIZATION);
            return;
        }
        if (input.userPoolId() == null || input.username() == null) {
            answer(response, ErrorCode.INVALID_PARAMETER);
            return;
        }
        store.updateUser(input.userPoolId(), input.username(), UserUpdate.DISABLE,
                        new AuditContext(OPERATION, RequestIds.next(), CALLER))
                .onSuccess(change -> {
                    count(SUCCESS);
                    response.putHeader(HttpHeaders.CONTENT_TYPE, AwsResponses.CONTENT_TYPE_JSON_11).end(EMPTY_OBJECT);
                })
                .onFailure(failure -> answer(response, errorOf(failure)));
    }

    private static ErrorCode errorOf(Throwable failure) {
        if (failure instanceof NoSuchUserException) {
            return ErrorCode.USER_NOT_FOUND;
        }
        return failure instanceof NoSuchPoolException ? ErrorCode.RESOURCE_NOT_FOUND : ErrorCode.INTERNAL_ERROR;
    }

    private void answer(HttpServerResponse response, ErrorCode error) {
        count(error.type());
        response.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, AwsResponses.CONTENT_TYPE_JSON_11)
                .end(ERROR_BODIES.get(error));
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, name -> new LongAdder()).increment();
    }

    record Input(@JsonProperty("UserPoolId") String userPoolId, @JsonProperty("Username") String username) {
    }
}
