package dev.idpgateway.bench;

import dev.idpgateway.testing.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's open-model load generator: sends the pre-signed requests of a {@link PreSign} file
 * at a constant arrival rate, whatever the latency, over a bounded pool of keep-alive connections
 * (as an SDK client does). Each request's latency runs from the moment it was due, not from when a
 * connection was free to send it, so a stall shows up in every request it delays instead of hiding
 * behind the ones not sent (coordinated omission). wrk cannot do this: its connections wait for
 * their answers. Requests leave on a 1 ms tick, so up to 1 ms of each latency is the generator's own.
 *
 * <p>{@code ConstantRate <endpoint> <requests-file> <rate-per-second> <warm-up-seconds> <seconds> <connections>}:
 * the warm-up runs at the same rate and is not counted (the generator's own JIT settles). Prints the
 * {@code RESULT} line that {@code src/bench/report.py} reads, as the wrk scripts do, for the counted part.
 */
public final class ConstantRate {
    private ConstantRate() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: ConstantRate <endpoint> <requests-file> <rate> <warm-up-seconds> <seconds> <connections>");
        }
        URI endpoint = URI.create(args[0]);
        String path = endpoint.getPath().isEmpty() ? "/" : endpoint.getPath();
        List<String[]> requests = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8).stream()
                .map(line -> line.split("\t")).toList();
        double rate = Double.parseDouble(args[2]);
        int warmUp = (int) (rate * Integer.parseInt(args[3]));
        int seconds = Integer.parseInt(args[4]);
        int total = warmUp + (int) (rate * seconds);
        int connections = Integer.parseInt(args[5]);
        // The request list is the generator's one large live set: moved to the old generation now, so that
        // collections during the run do not copy it (with it young, early pauses took 0.1-0.3 s).
        System.gc();

        // One event loop: the generator shares the machine with what it measures.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setDefaultHost(endpoint.getHost()).setDefaultPort(endpoint.getPort()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
        long[] latencyNanos = new long[total];
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(total);
        long start = System.nanoTime();
        double intervalNanos = 1e9 / rate;
        int[] sent = {0};
        vertx.setPeriodic(1, tick -> {
            long now = System.nanoTime();
            while (sent[0] < total && start + (long) (sent[0] * intervalNanos) <= now) {
                int index = sent[0]++;
                long due = start + (long) (index * intervalNanos);
                send(client, path, requests.get(index % requests.size())).onComplete(done -> {
                    latencyNanos[index] = System.nanoTime() - due;
                    if (done.failed() && index >= warmUp) {
                        failed.incrementAndGet();
                    }
                    answered.countDown();
                });
            }
            if (sent[0] == total) {
                vertx.cancelTimer(tick);
            }
        });
        boolean finished = answered.await((long) (total / rate) + 60, TimeUnit.SECONDS);
        long measuredNanos = System.nanoTime() - start - (long) (warmUp * intervalNanos);
        Blocking.await(vertx.close());
        // Unanswered requests (only when the run timed out) count as errors, not as latencies.
        long[] sorted = Arrays.stream(latencyNanos, warmUp, total).filter(nanos -> nanos > 0).sorted().toArray();
        System.out.printf("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d socket_errors=%d%n",
                sorted.length, measuredNanos / 1000, percentile(sorted, 50) / 1000,
                percentile(sorted, 99) / 1000, percentile(sorted, 99.9) / 1000,
                failed.get() + (finished ? 0 : total - warmUp - sorted.length));
    }

    private static Future<Void> send(HttpClient client, String path, String[] request) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path);
        for (int i = 1; i < request.length; i++) {
            int colon = request[i].indexOf(": ");
            options.putHeader(request[i].substring(0, colon), request[i].substring(colon + 2));
        }
        return client.request(options)
                .compose(sending -> sending.send(Buffer.buffer(request[0])))
                .compose(response -> response.body().map(body -> (Void) null));
    }

    private static long percentile(long[] sorted, double percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100 * sorted.length) - 1)];
    }
}
