package dev.idpgateway.reliability;

import dev.idpgateway.dev.BlockingRedis;
import dev.idpgateway.dev.EmbeddedRedis;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.testing.Blocking;
import dev.idpgateway.testing.Polling;
import dev.idpgateway.testing.ReplicaSync;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InternalErrorException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability option: with {@code redis.durability.replicas: 1} a 200 means the replica has the
 * change; a replica that is back within the retry budget costs no request (the change and its WAIT
 * are made again); one that stays away longer gives InternalErrorException, and the caller's retry
 * (the change is idempotent) succeeds once the replica is back.
 */
@Tag("fault")
class DurabilityTest {
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Durable");
    @TempDir
    Path dir;

    @Test
    void aSuccessMeansTheReplicaHasTheChangeAndAMissingReplicaMeansRetry() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "redis:\n  durability:\n    replicas: 1\n    timeout: 300ms\n");
        try (EmbeddedRedis primary = EmbeddedRedis.builder().serverArgs(ReplicaSync.immediate()).start();
             EmbeddedRedis replica = EmbeddedRedis.builder()
                     .serverArgs("--replicaof", "127.0.0.1", Integer.toString(primary.port())).start();
             GatewayFixture gateway = GatewayFixture.startOn(primary, Map.of("IDP_CONFIG", config.toString()));
             BlockingRedis replicaData = new BlockingRedis(gateway.vertx, replica.url());
             CognitoIdentityProviderClient cognito = gateway.client()) {
            awaitLinkUp(replicaData);
            Blocking.await(gateway.writer.write(POOL, UserRecord.builder("alice").tokens(2).build(),
                    UserRecord.builder("bob").tokens(2).build(), UserRecord.builder("carol").tokens(2).build()));
            String alice = gateway.writer.keys().user(POOL.poolId(), "alice");
            String bob = gateway.writer.keys().user(POOL.poolId(), "bob");

            cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username("alice"));
            // Read straight after the 200, from the replica: WAIT made sure it is there.
            assertEquals("false", replicaData.hash(alice).get("enabled"));
            assertEquals(0, replicaData.send(Command.EXISTS, gateway.writer.keys().tokenIndex(POOL.poolId(), "alice")).toInteger());

            // The replica restarts 0.5 s after it died: the gateway waits for its acknowledgement.
            replica.kill();
            ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
            try {
                faults.schedule(replica::start, 500, TimeUnit.MILLISECONDS);
                cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username("carol"));
            } finally {
                faults.shutdown();
            }
            assertEquals("false", replicaData.hash(gateway.writer.keys().user(POOL.poolId(), "carol")).get("enabled"));

            replica.kill();
            InternalErrorException notConfirmed = assertThrows(InternalErrorException.class,
                    () -> cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username("bob")));
            assertTrue(notConfirmed.awsErrorDetails().errorMessage().contains("Retry"), notConfirmed.getMessage());
            assertEquals("false", gateway.redis.hash(bob).get("enabled"), "the primary made the change");

            replica.start();
            awaitLinkUp(replicaData);
            cognito.adminDisableUser(b -> b.userPoolId(POOL.poolId()).username("bob"));
            assertEquals("false", replicaData.hash(bob).get("enabled"));
        }
    }

    private static void awaitLinkUp(BlockingRedis replica) {
        Polling.await("the replica to sync with the primary", Duration.ofSeconds(30), () -> {
            try {
                return replica.send(Command.INFO, "replication").toString().contains("master_link_status:up");
            } catch (RuntimeException e) {
                return false;
            }
        });
    }
}
