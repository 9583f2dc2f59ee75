package dev.idpgateway.http;

import dev.idpgateway.observability.ObservedRequest;
import dev.idpgateway.observability.RequestObserver;
import dev.idpgateway.observability.SampledWarning;
import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.AwsResponses;
import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.protocol.RequestIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * How every API request begins and ends, whichever way it goes (served, refused by the port,
 * oversized, malformed HTTP, or broken by an unexpected exception): one request id, one AWS-shaped
 * response carrying it, and one access log line and latency sample under the same id. The only
 * place the API writes a response.
 */
final class RequestLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLifecycle.class);
    /** One line a second at most: in an outage every request fails the same way. */
    private static final SampledWarning REQUEST_FAILED = new SampledWarning(LOG, 1, TimeUnit.SECONDS);

    private final RequestObserver observer;

    RequestLifecycle(RequestObserver observer) {
        this.observer = observer;
    }

    RequestObserver observer() {
        return observer;
    }

    /** A request about to be answered (its body read, or refused without it): its id from now on. */
    ObservedRequest begin() {
        return observer.begin(RequestIds.next());
    }

    void succeed(HttpServerResponse response, ObservedRequest observed, Buffer output) {
        AwsResponses.success(response, observed.requestId(), output);
        observed.finish(null);
    }

    /**
     * Answers the AWS error, or InternalErrorException for any other failure (a store that did not
     * answer, say), which is logged, sampled, with the request id: the caller learns only that it may retry.
     */
    void fail(HttpServerResponse response, ObservedRequest observed, Throwable failure) {
        if (failure instanceof AwsException error) {
            respond(response, observed, error);
            return;
        }
        REQUEST_FAILED.warn("request failed: request_id={} operation={} pool={} error={}", observed.requestId(),
                observed.operation(), observed.poolId(), failure.toString());
        respond(response, observed, ErrorCode.INTERNAL_ERROR.exception());
    }

    /** A stage threw what it should not have: a defect, logged in full, each time, with the request id. */
    void crashed(HttpServerResponse response, ObservedRequest observed, Throwable defect) {
        LOG.error("request failed unexpectedly: request_id={} operation={} pool={}", observed.requestId(),
                observed.operation(), observed.poolId(), defect);
        respond(response, observed, defect instanceof AwsException error ? error : ErrorCode.INTERNAL_ERROR.exception());
    }

    private static void respond(HttpServerResponse response, ObservedRequest observed, AwsException error) {
        if (!response.headWritten() && !response.closed()) {
            AwsResponses.error(response, observed.requestId(), error);
        }
        observed.finish(error.code());
    }
}
