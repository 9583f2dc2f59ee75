package dev.idpgateway.reliability;

import dev.idpgateway.GatewayFixture;
import dev.idpgateway.ops.Polling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** http.maxConnections: connections over the cap are closed on arrival, and the gateway keeps serving the rest. */
class ConnectionLimitTest {
    private static final int MAX = 4;

    @Test
    void connectionsOverTheCapAreClosedAndTheGatewayKeepsServing(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "http:\n  maxConnections: " + MAX + "\n");
        List<Socket> held = new ArrayList<>();
        try (GatewayFixture gateway = GatewayFixture.start(Map.of("IDP_CONFIG", config.toString()))) {
            for (int i = 0; i < MAX; i++) {
                held.add(connect(gateway));
            }
            Polling.await("the held connections are open", Duration.ofSeconds(10), () -> open(gateway) == MAX);

            try (Socket refused = connect(gateway)) {
                refused.setSoTimeout(10_000);
                // Closed by the gateway: end of stream, or a reset if the close raced the client.
                try {
                    assertEquals(-1, refused.getInputStream().read());
                } catch (SocketException reset) {
                    // also a refusal
                }
            }
            assertEquals(1.0, gateway.telemetry.registry().get("idp.http.connections.refused").counter().count());
            assertEquals(MAX, open(gateway));

            held.remove(0).close();
            Polling.await("a held connection closed", Duration.ofSeconds(10), () -> open(gateway) == MAX - 1);
            try (CognitoIdentityProviderClient cognito = gateway.client()) {
                assertThrows(ResourceNotFoundException.class,
                        () -> cognito.adminDisableUser(b -> b.userPoolId("us-east-1_Missing").username("alice")));
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static Socket connect(GatewayFixture gateway) throws IOException {
        return new Socket(gateway.endpoint().getHost(), gateway.endpoint().getPort());
    }

    private static int open(GatewayFixture gateway) {
        return (int) gateway.telemetry.registry().get("idp.http.connections").gauge().value();
    }
}
