package dev.idpgateway.reliability;

import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Modest, paced load for fault tests: callers disable the given users one after another (each user
 * once) while a fault happens, and a watcher polls readiness. Records every outcome, so that a test
 * can assert on failures and print its figures: requests, failures, slowest request, and the time
 * from Redis answering again to the first success after it.
 */
final class FaultLoad implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final CognitoIdentityProviderClient cognito;
    private final String poolId;
    private final List<String> usernames;
    private final long periodNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService threads;
    private final CountDownLatch done;
    private final AtomicInteger successes = new AtomicInteger();
    private final AtomicLong slowestNanos = new AtomicLong();
    /** Start and end ({@link System#nanoTime()}) of each successful request. */
    private final ConcurrentLinkedQueue<long[]> successSpans = new ConcurrentLinkedQueue<>();
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Integer> notReady = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;

    /** {@code callers} threads, together about {@code perSecond} requests a second while the gateway keeps up. */
    FaultLoad(CognitoIdentityProviderClient cognito, String poolId, List<String> usernames, int callers, int perSecond,
              URI readiness) {
        this.cognito = cognito;
        this.poolId = poolId;
        this.usernames = usernames;
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) * callers / perSecond;
        this.threads = Executors.newFixedThreadPool(callers + 1);
        this.done = new CountDownLatch(callers);
        for (int i = 0; i < callers; i++) {
            threads.execute(this::call);
        }
        threads.execute(() -> watchReadiness(readiness));
    }

    private void call() {
        try {
            long nextAt = System.nanoTime();
            for (int i = next.getAndIncrement(); i < usernames.size() && !stopped; i = next.getAndIncrement()) {
                String username = usernames.get(i);
                long started = System.nanoTime();
                try {
                    cognito.adminDisableUser(b -> b.userPoolId(poolId).username(username));
                    acknowledged.add(username);
                    successes.incrementAndGet();
                    successSpans.add(new long[]{started, System.nanoTime()});
                } catch (CognitoIdentityProviderException e) {
                    failures.add(e.awsErrorDetails().errorCode() + " after "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
                }
                slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                // Pacing, not synchronisation: keeps the load modest.
                nextAt += periodNanos;
                LockSupport.parkNanos(nextAt - System.nanoTime());
            }
        } finally {
            done.countDown();
        }
    }

    private void watchReadiness(URI readiness) {
        while (!stopped && done.getCount() > 0) {
            try {
                int status = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200) {
                    notReady.add(status);
                }
            } catch (IOException e) {
                notReady.add(-1);
            } catch (InterruptedException e) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    int successes() {
        return successes.get();
    }

    /** Waits until every user had its request (or {@link #close()}). */
    boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int requests() {
        return successes.get() + failures.size();
    }

    Duration slowest() {
        return Duration.ofNanos(slowestNanos.get());
    }

    /** From {@code instant} to the first success that ended after it. */
    Duration firstSuccessAfter(long instantNanos) {
        return Duration.ofNanos(successSpans.stream().filter(span -> span[1] >= instantNanos)
                .mapToLong(span -> span[1]).min().orElse(Long.MAX_VALUE) - instantNanos);
    }

    /** One line of figures for the test's output and the README. */
    String figures(String fault, long redisBackNanos) {
        return String.format("%s: %d requests, %d failed, slowest %d ms, first success %d ms after Redis answered again",
                fault, requests(), failures.size(), slowest().toMillis(), firstSuccessAfter(redisBackNanos).toMillis());
    }

    @Override
    public void close() {
        stopped = true;
        threads.shutdownNow();
    }
}
