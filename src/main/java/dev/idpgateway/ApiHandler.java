package dev.idpgateway;

import dev.idpgateway.auth.Authorizer;
import dev.idpgateway.auth.Caller;
import dev.idpgateway.auth.RequestAuthenticator;
import dev.idpgateway.auth.SignedRequest;
import dev.idpgateway.operation.Operation;
import dev.idpgateway.operation.RequestContext;
import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.AwsJsonTarget;
import dev.idpgateway.protocol.AwsResponses;
import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.protocol.RequestIds;
import dev.idpgateway.throttle.Throttle;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one path every API request takes: protocol (target, content type) -> authentication ->
 * decode and validate -> authorization for the user pool -> throttle -> the operation -> response.
 * Every failure on the way becomes a well-formed AWS error; nothing here blocks.
 */
final class ApiHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final CharSequence X_AMZ_TARGET = HttpHeaders.createOptimized("X-Amz-Target");
    /** IAM actions are named {@code cognito-idp:<Operation>}. */
    private static final String IAM_SERVICE_PREFIX = "cognito-idp:";

    private final Map<String, Operation<?>> operations;
    private final RequestAuthenticator authenticator;
    private final Throttle throttle;
    private final Authorizer authorizer;

    ApiHandler(List<Operation<?>> operations, RequestAuthenticator authenticator, Authorizer authorizer, Throttle throttle) {
        this.operations = operations.stream().collect(Collectors.toUnmodifiableMap(Operation::name, Function.identity()));
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.authorizer = authorizer;
    }

    @Override
    public void handle(RoutingContext context) {
        String requestId = RequestIds.next();
        HttpServerRequest request = context.request();
        try {
            Operation<?> operation = operations.get(AwsJsonTarget.operationName(request.getHeader(X_AMZ_TARGET)));
            if (operation == null) {
                throw ErrorCode.UNKNOWN_OPERATION.exception();
            }
            AwsJsonTarget.requireJson11(request.getHeader(HttpHeaders.CONTENT_TYPE));
            Buffer body = context.body().buffer();
            Caller caller = authenticator.authenticate(
                    new SignedRequest(request.method().name(), request.path(), request.query(), request.headers(), body));
            run(operation, body, context, new RequestContext(requestId, caller));
        } catch (AwsException e) {
            AwsResponses.error(context.response(), requestId, e);
        }
    }

    private <I> void run(Operation<I> operation, Buffer body, RoutingContext context, RequestContext request) {
        I input = operation.decode(body);
        String poolId = operation.userPoolId(input);
        authorizer.authorize(request.caller(), IAM_SERVICE_PREFIX + operation.name(), authorizer.userPoolArn(poolId));
        if (!throttle.tryAcquire(operation.name(), poolId)) {
            throw ErrorCode.TOO_MANY_REQUESTS.exception();
        }
        operation.execute(input, request).onComplete(
                output -> AwsResponses.success(context.response(), request.requestId(), output),
                failure -> AwsResponses.error(context.response(), request.requestId(),
                        toAwsError(failure, operation.name(), poolId, request.requestId())));
    }

    private AwsException toAwsError(Throwable failure, String operation, String poolId, String requestId) {
        if (failure instanceof AwsException aws) {
            if (aws.code() == ErrorCode.RESOURCE_NOT_FOUND) {
                throttle.forget(operation, poolId);
            }
            return aws;
        }
        // The caller learns only that it may retry; the log says what happened.
        LOG.warn("request failed: request_id={} operation={} pool={} error={}", requestId, operation, poolId,
                failure.toString());
        return ErrorCode.INTERNAL_ERROR.exception();
    }
}
