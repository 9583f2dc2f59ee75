package dev.idpgateway.http;

import dev.idpgateway.auth.Authorizer;
import dev.idpgateway.auth.Caller;
import dev.idpgateway.auth.RequestAuthenticator;
import dev.idpgateway.auth.SignedRequest;
import dev.idpgateway.observability.ObservedRequest;
import dev.idpgateway.observability.RequestObserver;
import dev.idpgateway.operation.Operation;
import dev.idpgateway.operation.RequestContext;
import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.AwsJsonTarget;
import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.throttle.Throttle;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one path every API request takes: protocol (target, content type) -> authentication ->
 * decode and validate -> authorization for the user pool -> throttle -> the operation -> response.
 * Every failure on the way, an unexpected exception included, ends the request through the
 * {@link RequestLifecycle}; nothing here blocks. The {@link RequestObserver} sees each request from
 * receipt to response (metrics, access log) and traces the authentication, authorization and
 * throttle stages.
 */
final class ApiHandler {
    private static final CharSequence X_AMZ_TARGET = HttpHeaders.createOptimized("X-Amz-Target");
    /** IAM actions are named {@code cognito-idp:<Operation>}. */
    private static final String IAM_SERVICE_PREFIX = "cognito-idp:";

    private final Map<String, Operation<?>> operations;
    private final RequestAuthenticator authenticator;
    private final Throttle throttle;
    private final Authorizer authorizer;
    private final RequestLifecycle lifecycle;
    private final RequestObserver observer;

    ApiHandler(List<Operation<?>> operations, RequestLifecycle lifecycle, RequestAuthenticator authenticator,
               Authorizer authorizer, Throttle throttle) {
        this.operations = operations.stream().collect(Collectors.toUnmodifiableMap(Operation::name, Function.identity()));
        this.lifecycle = lifecycle;
        this.observer = lifecycle.observer();
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.authorizer = authorizer;
    }

    /** Serves one {@code POST /} whose body has been read. */
    void handle(HttpServerRequest request, Buffer body) {
        ObservedRequest observed = lifecycle.begin();
        try {
            Operation<?> operation = operations.get(AwsJsonTarget.operationName(request.getHeader(X_AMZ_TARGET)));
            if (operation == null) {
                throw ErrorCode.UNKNOWN_OPERATION.exception();
            }
            observed.operation(operation.name());
            AwsJsonTarget.requireJson11(request.getHeader(HttpHeaders.CONTENT_TYPE));
            Caller caller = stage("authenticate", () -> authenticator.authenticate(
                    new SignedRequest(request.method().name(), request.path(), request.query(), request.headers(), body)));
            observed.principal(caller.name());
            run(operation, body, request.response(), observed, new RequestContext(observed.requestId(), caller));
        } catch (AwsException e) {
            lifecycle.fail(request.response(), observed, e);
        } catch (RuntimeException e) {
            lifecycle.crashed(request.response(), observed, e);
        }
    }

    private <I> void run(Operation<I> operation, Buffer body, HttpServerResponse response, ObservedRequest observed,
                         RequestContext request) {
        I input = operation.decode(body);
        String poolId = operation.userPoolId(input);
        observed.poolId(poolId);
        stage("authorize", () -> {
            authorizer.authorize(request.caller(), IAM_SERVICE_PREFIX + operation.name(), authorizer.userPoolArn(poolId));
            authorizer.requireServedRegion(poolId);
            return null;
        });
        if (!stage("throttle", () -> throttle.tryAcquire(operation.name(), poolId))) {
            observer.throttled(operation.name(), poolId);
            throw ErrorCode.TOO_MANY_REQUESTS.exception();
        }
        operation.execute(input, request).onComplete(
                output -> lifecycle.succeed(response, observed, output),
                failure -> {
                    forgetUnknownPool(failure, operation.name(), poolId);
                    lifecycle.fail(response, observed, failure);
                });
    }

    /** A pool that does not exist keeps no limiter: otherwise made-up pool ids would fill the bounded registry. */
    private void forgetUnknownPool(Throwable failure, String operation, String poolId) {
        if (failure instanceof AwsException error && error.code() == ErrorCode.RESOURCE_NOT_FOUND) {
            throttle.forget(operation, poolId);
        }
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
}
