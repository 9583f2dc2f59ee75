package dev.idpgateway.observability;

import dev.idpgateway.protocol.ErrorCode;

/**
 * One API request as the pipeline learns about it: the operation once the target is read, the
 * principal once authenticated, the pool once the input is decoded. Lives on one event loop.
 */
public final class ObservedRequest {
    private final RequestObserver observer;
    private final String requestId;
    private final long startNanos;
    private String operation;
    private String principal;
    private String poolId;
    private boolean finished;

    ObservedRequest(RequestObserver observer, String requestId, long startNanos) {
        this.observer = observer;
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    public String requestId() {
        return requestId;
    }

    public void operation(String name) {
        this.operation = name;
    }

    public void principal(String name) {
        this.principal = name;
    }

    public void poolId(String poolId) {
        this.poolId = poolId;
    }

    /** The response was written: {@code error} is {@code null} for a success. */
    public void finish(ErrorCode error) {
        if (finished) {
            return; // counted and logged once, however many ways the request failed
        }
        finished = true;
        observer.finished(this, error, System.nanoTime() - startNanos);
    }

    public String operation() {
        return operation;
    }

    public String principal() {
        return principal;
    }

    public String poolId() {
        return poolId;
    }
}
