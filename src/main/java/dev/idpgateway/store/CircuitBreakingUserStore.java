package dev.idpgateway.store;

import dev.idpgateway.config.GatewayConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Stops calling a Redis that keeps failing. While the circuit is open every call fails at once,
 * so callers get InternalErrorException immediately instead of each waiting out the command
 * timeout and piling up on the connection pool; after a pause a few trial calls decide whether
 * it closes again. A user or pool that does not exist, or a name of two users, is an answer, not a failure.
 */
public final class CircuitBreakingUserStore implements UserStore {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakingUserStore.class);

    private final UserStore store;
    private final CircuitBreaker breaker;

    public CircuitBreakingUserStore(UserStore store, GatewayConfig.CircuitBreaker config) {
        this.store = store;
        this.breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
                .failureRateThreshold(config.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.window())
                .minimumNumberOfCalls(config.minimumCalls())
                .waitDurationInOpenState(config.openFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                .writableStackTraceEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(event ->
                LOG.warn("redis circuit breaker: {}", event.getStateTransition()));
    }

    @Override
    public Future<UserChange> updateUser(String poolId, String username, UserUpdate update, AuditContext audit) {
        return guarded(() -> store.updateUser(poolId, username, update, audit));
    }

    @Override
    public Future<StoredUser> getUser(String poolId, String username) {
        return guarded(() -> store.getUser(poolId, username));
    }

    /** Not guarded: readiness must report Redis itself, and its success lets operators see recovery. */
    @Override
    public Future<Void> checkReady() {
        return store.checkReady();
    }

    @Override
    public Future<Void> close() {
        return store.close();
    }

    /** True while calls are refused without reaching Redis. */
    public boolean isOpen() {
        return breaker.getState() == CircuitBreaker.State.OPEN;
    }

    private <T> Future<T> guarded(Supplier<Future<T>> call) {
        if (!breaker.tryAcquirePermission()) {
            return Future.failedFuture(new StoreUnavailableException("Redis failed repeatedly: not called for now"));
        }
        long started = System.nanoTime();
        Future<T> result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.andThen(outcome -> {
            long elapsed = System.nanoTime() - started;
            if (outcome.succeeded() || isAnswer(outcome.cause())) {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            } else {
                breaker.onError(elapsed, TimeUnit.NANOSECONDS, outcome.cause());
            }
        });
    }

    private static boolean isAnswer(Throwable failure) {
        return failure instanceof NoSuchUserException || failure instanceof NoSuchPoolException
                || failure instanceof AmbiguousUserException;
    }
}
