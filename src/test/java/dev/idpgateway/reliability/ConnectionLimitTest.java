package dev.idpgateway.reliability;

import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Polling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection flood resistance: the header deadline, eviction of idle connections when the table is
 * full, the per-client cap, and the refusal when every connection has a request in progress.
 */
class ConnectionLimitTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final String BODY = "{\"UserPoolId\":\"us-east-1_Missing\",\"Username\":\"alice\"}";
    private static final String HEAD = "POST / HTTP/1.1\r\nHost: x\r\n"
            + "X-Amz-Target: AWSCognitoIdentityProviderService.AdminDisableUser\r\n"
            + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: " + BODY.length() + "\r\n";

    @TempDir
    Path dir;
    private final List<Socket> held = new ArrayList<>();

    @AfterEach
    void closeHeld() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void connectionsThatSendNothingAreClosedAfterTheHeaderTimeout() throws IOException {
        try (GatewayFixture gateway = start("idleTimeout: 60s", "requestHeaderTimeout: 1s")) {
            for (int i = 0; i < 3; i++) {
                hold(gateway);
            }
            for (Socket socket : held) {
                assertClosedByGateway(socket);
            }
            assertEquals(3.0, counter(gateway, "idp.http.connections.timed_out", "header"));
            Polling.await("the timed-out connections are released", PATIENCE, () -> open(gateway) == 0);
            assertAnswered(gateway);
        }
    }

    @Test
    void aDribbledRequestHeadIsCutAtTheHeaderTimeout() throws IOException {
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try (GatewayFixture gateway = start("idleTimeout: 60s", "requestHeaderTimeout: 1s", "requestReadTimeout: 60s")) {
            Socket socket = hold(gateway);
            // One byte every 100 ms: always inside the idle timeout, never a complete head within a minute.
            byte[] head = (HEAD + "X-Padding: " + "a".repeat(600) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            OutputStream out = socket.getOutputStream();
            AtomicInteger sent = new AtomicInteger();
            dribbler.scheduleAtFixedRate(() -> {
                try {
                    out.write(head[sent.getAndIncrement()]);
                    out.flush();
                } catch (IOException closed) {
                    throw new IllegalStateException(closed); // ends the schedule
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            assertClosedByGateway(socket);
            assertTrue(sent.get() < head.length, "the head was cut before it was complete");
            assertEquals(1.0, counter(gateway, "idp.http.connections.timed_out", "header"));
        } finally {
            dribbler.shutdownNow();
        }
    }

    @Test
    void whenTheTableIsFullOfIdleConnectionsTheOldestIsClosedToAdmitANewCaller() throws IOException {
        try (GatewayFixture gateway = start("maxConnections: 4", "requestHeaderTimeout: 60s")) {
            for (int i = 1; i <= 4; i++) {
                hold(gateway);
                int opened = i;
                // One at a time, so that the gateway's order of opening is the order of the list.
                Polling.await("held connection " + i + " is open", PATIENCE, () -> open(gateway) == opened);
            }

            assertAnswered(gateway);
            assertClosedByGateway(held.get(0));
            assertEquals(1.0, counter(gateway, "idp.http.connections.evicted", null));
            assertEquals(0.0, counter(gateway, "idp.http.connections.refused", "full"));
            Polling.await("at most maxConnections are open", PATIENCE, () -> open(gateway) <= 4);
        }
    }

    @Test
    void aConnectionWithARequestInProgressIsNotEvicted() throws IOException {
        try (GatewayFixture gateway = start("maxConnections: 2", "requestHeaderTimeout: 60s", "requestReadTimeout: 60s")) {
            Socket busy = hold(gateway);
            OutputStream out = busy.getOutputStream();
            out.write((HEAD + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(busy.getInputStream(), StandardCharsets.US_ASCII));
            // The gateway asks for the body once it has the head: from then on the request is in progress.
            assertEquals("HTTP/1.1 100 Continue", in.readLine());
            assertEquals("", in.readLine());
            Socket idle = hold(gateway);
            Polling.await("both connections are open", PATIENCE, () -> open(gateway) == 2);

            hold(gateway);
            assertClosedByGateway(idle);
            assertEquals(1.0, counter(gateway, "idp.http.connections.evicted", null));

            // The busy connection, older than the evicted one, still gets its answer.
            out.write(BODY.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 400 Bad Request", in.readLine());
            assertEquals(1.0, counter(gateway, "idp.http.connections.evicted", null), "only the idle one was evicted");
        }
    }

    /**
     * The connection is idle again the moment its response is sent, not at the next deadline check (up to a
     * second later, when the request's objects would still be held): a new caller evicts it at once.
     */
    @Test
    void aKeptAliveConnectionIsIdleAsSoonAsItsResponseIsSent() throws IOException {
        try (GatewayFixture gateway = start("maxConnections: 1", "requestHeaderTimeout: 60s", "requestReadTimeout: 60s")) {
            Socket answered = hold(gateway);
            OutputStream out = answered.getOutputStream();
            out.write((HEAD + "\r\n" + BODY).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(answered.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 400 Bad Request", in.readLine());

            hold(gateway);
            assertClosedByGateway(answered);
            assertEquals(1.0, counter(gateway, "idp.http.connections.evicted", null));
            assertEquals(0.0, counter(gateway, "idp.http.connections.refused", "full"));
        }
    }

    @Test
    void whenEveryConnectionHasARequestInProgressTheNewOneIsRefused() throws IOException {
        try (GatewayFixture gateway = start("maxConnections: 1", "requestReadTimeout: 60s")) {
            Socket busy = hold(gateway);
            OutputStream out = busy.getOutputStream();
            out.write((HEAD + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(busy.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 100 Continue", in.readLine());

            assertClosedByGateway(hold(gateway));
            assertEquals(1.0, counter(gateway, "idp.http.connections.refused", "full"));
            assertEquals(0.0, counter(gateway, "idp.http.connections.evicted", null));

            out.write(BODY.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("", in.readLine());
            assertEquals("HTTP/1.1 400 Bad Request", in.readLine());
        }
    }

    @Test
    void theCapPerClientAddressRefusesTheFlooderAndServesOthers() throws IOException, InterruptedException {
        try (GatewayFixture gateway = start("maxConnections: 10", "maxConnectionsPerClient: 2",
                "requestHeaderTimeout: 60s")) {
            hold(gateway);
            hold(gateway);
            Polling.await("the flooder's connections are open", PATIENCE, () -> open(gateway) == 2);

            assertClosedByGateway(hold(gateway));
            assertEquals(1.0, counter(gateway, "idp.http.connections.refused", "per_client"));

            RawHttp other = new RawHttp(gateway.config.http().port(), PATIENCE, InetAddress.getByName("127.0.0.2"));
            RawHttp.Outcome outcome = other.exchange((HEAD + "\r\n" + BODY).getBytes(StandardCharsets.US_ASCII),
                    false, RawHttp.Pacing.AT_ONCE);
            RawHttp.Response response = assertInstanceOf(RawHttp.Response.class, outcome);
            assertEquals(400, response.status());
            assertEquals("ResourceNotFoundException", response.header("x-amzn-ErrorType"));
            assertEquals(0.0, counter(gateway, "idp.http.connections.evicted", null));
        }
    }

    private GatewayFixture start(String... httpSettings) throws IOException {
        return GatewayFixture.startWithConfig(dir, "http:\n  " + String.join("\n  ", httpSettings) + "\n");
    }

    private Socket hold(GatewayFixture gateway) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.endpoint().getPort());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        held.add(socket);
        return socket;
    }

    /** End of stream, or a reset if the close raced the client; a read timeout (the connection stayed) fails. */
    private static void assertClosedByGateway(Socket socket) throws IOException {
        try {
            int read;
            do {
                read = socket.getInputStream().read();
            } while (read >= 0);
        } catch (SocketException reset) {
            // also closed
        }
    }

    private static void assertAnswered(GatewayFixture gateway) {
        try (CognitoIdentityProviderClient cognito = gateway.client()) {
            assertThrows(ResourceNotFoundException.class,
                    () -> cognito.adminDisableUser(b -> b.userPoolId("us-east-1_Missing").username("alice")));
        }
    }

    private static double counter(GatewayFixture gateway, String name, String reason) {
        var search = gateway.telemetry.registry().get(name);
        return (reason == null ? search : search.tag("reason", reason)).counter().count();
    }

    private static int open(GatewayFixture gateway) {
        return (int) gateway.telemetry.registry().get("idp.http.connections").gauge().value();
    }
}
