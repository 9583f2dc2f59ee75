package dev.idpgateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A connection flood against a running gateway (unauthenticated, e.g. {@code IDP_AUTH=none java -jar
 * target/idp-gateway.jar dev}), measured from a caller on another address.
 *
 * <p>{@code ConnectionFlood <api-port> <management-port> <flood-connections> <seconds>}: first the
 * caller alone for a reference, then the flood: that many connections from 127.0.0.1 that never send
 * a byte, each re-opened as soon as the gateway closes it, while the caller (127.0.0.2) sends one
 * AdminGetUser of the demo user every 20 ms, each on a new connection (the hardest case: every request
 * needs a connection admitted). Prints the caller's answered/sent and p50/p99 in both phases, the
 * flood's connections opened and closed by the gateway, the gateway's refusal, eviction and timeout
 * counters, and its heap (largest sample during the flood) from the management port's /metrics.
 */
public final class ConnectionFlood {
    private static final InetAddress FLOODER = InetAddress.getLoopbackAddress();
    private static final long CALLER_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int CALLER_TIMEOUT_MILLIS = 2_000;
    private static final byte[] REQUEST = request();
    private static final HttpClient METRICS_CLIENT = HttpClient.newHttpClient();

    private ConnectionFlood() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ConnectionFlood <api-port> <management-port> <flood-connections> <seconds>");
        }
        int port = Integer.parseInt(args[0]);
        URI metrics = URI.create("http://127.0.0.1:" + args[1] + "/metrics");
        int floodConnections = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        InetAddress callerAddress = InetAddress.getByName("127.0.0.2");
        InetSocketAddress gateway = new InetSocketAddress(FLOODER, port);

        Caller reference = new Caller(gateway, callerAddress);
        reference.run(Math.max(5, seconds / 4), () -> { });
        System.out.println("caller alone:      " + reference.summary());

        Flood flood = new Flood(gateway, floodConnections);
        Thread flooder = new Thread(flood, "flood");
        flooder.start();
        flood.awaitFirstWave();
        Caller caller = new Caller(gateway, callerAddress);
        HeapSampler heap = new HeapSampler(metrics);
        caller.run(seconds, heap::sample);
        flood.stop();
        flooder.join();
        System.out.println("caller under flood: " + caller.summary());
        System.out.printf("p99 under flood / p99 alone: %.2f%n", caller.percentile(0.99) / reference.percentile(0.99));
        System.out.println("flood: " + flood.summary());
        System.out.printf("gateway heap used: max %.1f MB during the flood%n", heap.maxUsed / 1e6);
        for (String line : scrape(metrics).split("\n")) {
            if (line.startsWith("idp_http_connections")) {
                System.out.println("gateway " + line);
            }
        }
    }

    private static byte[] request() {
        String body = "{\"UserPoolId\":\"us-east-1_DemoPool1\",\"Username\":\"alice\"}";
        return ("POST / HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n"
                + "X-Amz-Target: AWSCognitoIdentityProviderService.AdminGetUser\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One request every 20 ms on a new connection; answered normally = a 200 within 2 s. */
    private static final class Caller {
        private final InetSocketAddress gateway;
        private final InetAddress source;
        private final List<Long> latencies = new ArrayList<>();
        private final Map<String, Integer> failures = new TreeMap<>();
        private int sent;
        private int answered;

        Caller(InetSocketAddress gateway, InetAddress source) {
            this.gateway = gateway;
            this.source = source;
        }

        void run(long seconds, Runnable eachSecond) {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long nextSecond = start;
            for (long due = start; due < end; due += CALLER_PERIOD_NANOS) {
                LockSupport.parkNanos(due - System.nanoTime()); // pacing the caller, not waiting for a condition
                if (System.nanoTime() >= nextSecond) {
                    eachSecond.run();
                    nextSecond += TimeUnit.SECONDS.toNanos(1);
                }
                sent++;
                long began = System.nanoTime();
                String outcome = exchange();
                if (outcome.equals("200")) {
                    answered++;
                } else {
                    failures.merge(outcome, 1, Integer::sum);
                }
                latencies.add(System.nanoTime() - began);
            }
        }

        /** The status, or what went wrong. */
        private String exchange() {
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(source, 0));
                socket.connect(gateway, CALLER_TIMEOUT_MILLIS);
                socket.setSoTimeout(CALLER_TIMEOUT_MILLIS);
                OutputStream out = socket.getOutputStream();
                out.write(REQUEST);
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] response = in.readAllBytes(); // Connection: close: the gateway closes after the answer
                String text = new String(response, StandardCharsets.US_ASCII);
                if (!text.startsWith("HTTP/1.1 ")) {
                    return "no answer";
                }
                int type = text.indexOf("\"__type\"");
                return text.substring(9, 12) + (type < 0 ? "" : " " + text.substring(type, text.indexOf(',', type)));
            } catch (IOException failed) {
                return failed.getClass().getSimpleName() + ": " + failed.getMessage();
            }
        }

        double percentile(double p) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
        }

        String summary() {
            return String.format("%d/%d answered (%.2f%%), p50 %.2f ms, p99 %.2f ms, max %.2f ms%s", answered, sent,
                    100.0 * answered / sent, percentile(0.50), percentile(0.99), percentile(1.0),
                    failures.isEmpty() ? "" : "; not answered: " + failures);
        }
    }

    /** Keeps {@code target} silent connections open from one address on one selector thread, re-opening each one closed. */
    private static final class Flood implements Runnable {
        private final InetSocketAddress gateway;
        private final int target;
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final ByteBuffer sink = ByteBuffer.allocate(256);
        private volatile boolean firstWave;
        private long opened;
        private long closedByGateway;
        private long failedToConnect;
        private int open;

        Flood(InetSocketAddress gateway, int target) {
            this.gateway = gateway;
            this.target = target;
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                while (!stopping.get()) {
                    while (open < target) {
                        connect(selector);
                    }
                    firstWave = true;
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle(key);
                    }
                    selector.selectedKeys().clear();
                }
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
            } catch (IOException e) {
                throw new IllegalStateException("the flood stopped: " + e, e);
            }
        }

        private void connect(Selector selector) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(FLOODER, 0));
            channel.connect(gateway);
            channel.register(selector, SelectionKey.OP_CONNECT);
            open++;
            opened++;
        }

        private void handle(SelectionKey key) throws IOException {
            SocketChannel channel = (SocketChannel) key.channel();
            try {
                if (key.isConnectable()) {
                    channel.finishConnect();
                    key.interestOps(SelectionKey.OP_READ);
                } else if (key.isReadable()) {
                    sink.clear();
                    if (channel.read(sink) < 0) {
                        closedByGateway++;
                        drop(channel);
                    }
                }
            } catch (IOException reset) {
                if (key.isConnectable()) {
                    failedToConnect++;
                } else {
                    closedByGateway++;
                }
                drop(channel);
            }
        }

        private void drop(SocketChannel channel) throws IOException {
            channel.close();
            open--;
        }

        void awaitFirstWave() {
            while (!firstWave) {
                Thread.onSpinWait();
            }
        }

        void stop() {
            stopping.set(true);
        }

        String summary() {
            return String.format("%d connections opened from %s (%d kept open), %d closed by the gateway, %d failed to connect",
                    opened, FLOODER.getHostAddress(), target, closedByGateway, failedToConnect);
        }
    }

    /** The gateway's heap in use, from its metrics, largest of the samples. */
    private static final class HeapSampler {
        private final URI metrics;
        private double maxUsed;

        HeapSampler(URI metrics) {
            this.metrics = metrics;
        }

        void sample() {
            try {
                maxUsed = Math.max(maxUsed, metric(scrape(metrics), "jvm_memory_used_bytes{area=\"heap\""));
            } catch (IOException | InterruptedException e) {
                System.out.println("no heap sample: " + e);
            }
        }
    }

    private static String scrape(URI metrics) throws IOException, InterruptedException {
        return METRICS_CLIENT.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of the samples whose line starts with {@code prefix} (e.g. every heap pool). */
    private static double metric(String text, String prefix) {
        return Arrays.stream(text.split("\n")).filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
