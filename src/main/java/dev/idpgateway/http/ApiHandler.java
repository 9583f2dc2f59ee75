package dev.idpgateway.http;

import dev.idpgateway.auth.Authorizer;
import dev.idpgateway.auth.Caller;
import dev.idpgateway.auth.RequestAuthenticator;
import dev.idpgateway.auth.SignedRequest;
import dev.idpgateway.observability.ObservedRequest;
import dev.idpgateway.observability.RequestObserver;
import dev.idpgateway.observability.SampledWarning;
import dev.idpgateway.operation.Operation;
import dev.idpgateway.operation.RequestContext;
import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.AwsJsonTarget;
import dev.idpgateway.protocol.AwsResponses;
import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.protocol.RequestIds;
import dev.idpgateway.throttle.Throttle;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one path every API request takes: protocol (target, content type) -> authentication ->
 * decode and validate -> authorization for the user pool -> throttle -> the operation -> response.
 * Every failure on the way becomes a well-formed AWS error; nothing here blocks. The
 * {@link RequestObserver} sees each request from receipt to response (metrics, access log) and
 * traces the authentication, authorization and throttle stages.
 */
final class ApiHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** One line a second at most: in an outage every request fails the same way. */
    private static final SampledWarning REQUEST_FAILED = new SampledWarning(LOG, 1, TimeUnit.SECONDS);
    private static final CharSequence X_AMZ_TARGET = HttpHeaders.createOptimized("X-Amz-Target");
    /** IAM actions are named {@code cognito-idp:<Operation>}. */
    private static final String IAM_SERVICE_PREFIX = "cognito-idp:";

    private final Map<String, Operation<?>> operations;
    private final RequestAuthenticator authenticator;
    private final Throttle throttle;
    private final Authorizer authorizer;
    private final RequestObserver observer;

    ApiHandler(List<Operation<?>> operations, RequestObserver observer, RequestAuthenticator authenticator,
               Authorizer authorizer, Throttle throttle) {
        this.operations = operations.stream().collect(Collectors.toUnmodifiableMap(Operation::name, Function.identity()));
        this.observer = observer;
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.authorizer = authorizer;
    }

    @Override
    public void handle(RoutingContext context) {
        ObservedRequest observed = observer.begin(RequestIds.next());
        HttpServerRequest request = context.request();
        try {
            Operation<?> operation = operations.get(AwsJsonTarget.operationName(request.getHeader(X_AMZ_TARGET)));
            if (operation == null) {
                throw ErrorCode.UNKNOWN_OPERATION.exception();
            }
            observed.operation(operation.name());
            AwsJsonTarget.requireJson11(request.getHeader(HttpHeaders.CONTENT_TYPE));
            Buffer body = context.body().buffer();
            Caller caller = stage("authenticate", () -> authenticator.authenticate(
                    new SignedRequest(request.method().name(), request.path(), request.query(), request.headers(), body)));
            observed.principal(caller.name());
            run(operation, body, context, observed, new RequestContext(observed.requestId(), caller));
        } catch (AwsException e) {
            respondError(context, observed, e);
        }
    }

    private <I> void run(Operation<I> operation, Buffer body, RoutingContext context, ObservedRequest observed,
                         RequestContext request) {
        I input = operation.decode(body);
        String poolId = operation.userPoolId(input);
        observed.poolId(poolId);
        stage("authorize", () -> {
            authorizer.authorize(request.caller(), IAM_SERVICE_PREFIX + operation.name(), authorizer.userPoolArn(poolId));
            return null;
        });
        if (!stage("throttle", () -> throttle.tryAcquire(operation.name(), poolId))) {
            observer.throttled(operation.name(), poolId);
            throw ErrorCode.TOO_MANY_REQUESTS.exception();
        }
        operation.execute(input, request).onComplete(
                output -> {
                    AwsResponses.success(context.response(), request.requestId(), output);
                    observed.finish(null);
                },
                failure -> respondError(context, observed, toAwsError(failure, operation.name(), poolId, request.requestId())));
    }

    private static void respondError(RoutingContext context, ObservedRequest observed, AwsException error) {
        AwsResponses.error(context.response(), observed.requestId(), error);
        observed.finish(error.code());
    }

    /** Runs one synchronous stage of the pipeline in its own span (a no-op without tracing). */
    private <T> T stage(String name, Supplier<T> step) {
        Span span = observer.stage(name);
        try {
            return step.get();
        } finally {
            span.end();
        }
    }

    private AwsException toAwsError(Throwable failure, String operation, String poolId, String requestId) {
        if (failure instanceof AwsException aws) {
            if (aws.code() == ErrorCode.RESOURCE_NOT_FOUND) {
                throttle.forget(operation, poolId);
            }
            return aws;
        }
        // The caller learns only that it may retry; the log says what happened.
        REQUEST_FAILED.warn("request failed: request_id={} operation={} pool={} error={}", requestId, operation, poolId,
                failure.toString());
        return ErrorCode.INTERNAL_ERROR.exception();
    }
}
