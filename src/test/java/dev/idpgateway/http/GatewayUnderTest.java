package dev.idpgateway.http;

import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.store.KeySchema;
import dev.idpgateway.testing.Blocking;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link GatewayFixture} for one test class (register it as a static {@code @RegisterExtension}
 * field, or an instance one in a {@code PER_CLASS} test class), an AWS SDK client for it, a new pool for each test so that tests never see each other's
 * users, and readers for what the gateway made of them: the user hash, the token keys and the audit
 * stream of storage contract v1.
 */
public final class GatewayUnderTest implements BeforeAllCallback, AfterAllCallback {
    private final AtomicInteger pools = new AtomicInteger();
    private final Supplier<GatewayFixture> start;
    private GatewayFixture gateway;
    private CognitoIdentityProviderClient cognito;

    /** A gateway with the test defaults on a standalone Redis of its own. */
    public GatewayUnderTest() {
        this(GatewayFixture::start);
    }

    /** The gateway {@code start} gives, when beforeAll runs: a suite can run on another Redis topology. */
    public GatewayUnderTest(Supplier<GatewayFixture> start) {
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        gateway = start.get();
        cognito = gateway.client();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cognito != null) {
            cognito.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    public GatewayFixture fixture() {
        return gateway;
    }

    public CognitoIdentityProviderClient cognito() {
        return cognito;
    }

    public KeySchema keys() {
        return gateway.writer.keys();
    }

    /** A new case-sensitive pool without aliases, not written yet. */
    public PoolRecord newPool() {
        return PoolRecord.of("us-east-1_Pool" + pools.incrementAndGet());
    }

    public void write(PoolRecord pool, UserRecord... users) {
        Blocking.await(gateway.writer.write(pool, users));
    }

    public Response redis(Command command, Object... args) {
        return gateway.redis.send(command, args);
    }

    /** The user hash; empty when there is no such user. */
    public Map<String, String> user(PoolRecord pool, String userKey) {
        return gateway.redis.hash(keys().user(pool.poolId(), userKey));
    }

    public Set<String> tokenKeys(PoolRecord pool, String userKey) {
        return gateway.redis.keys(keys().tokenPrefix(pool.poolId(), userKey) + "*");
    }

    public boolean hasTokenIndex(PoolRecord pool, String userKey) {
        return redis(Command.EXISTS, keys().tokenIndex(pool.poolId(), userKey)).toInteger() == 1;
    }

    /** The pool's audit events, oldest first, each as its fields. */
    public List<Map<String, String>> events(PoolRecord pool) {
        List<Map<String, String>> events = new ArrayList<>();
        for (Response entry : redis(Command.XRANGE, keys().events(pool.poolId()), "-", "+")) {
            Response fields = entry.get(1);
            Map<String, String> event = new HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                event.put(fields.get(i).toString(), fields.get(i + 1).toString());
            }
            events.add(event);
        }
        return events;
    }

    public Map<String, String> lastEvent(PoolRecord pool) {
        List<Map<String, String>> events = events(pool);
        return events.isEmpty() ? Map.of() : events.get(events.size() - 1);
    }
}
