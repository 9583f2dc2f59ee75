package dev.idpgateway.operation;

import dev.idpgateway.protocol.AwsJsonInput;
import dev.idpgateway.store.AuditContext;
import dev.idpgateway.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * AdminDisableUser: deactivates a user and revokes all of the user's tokens, atomically. The
 * {@code Username} may be the username, an alias attribute the pool allows, or the user's sub.
 */
public final class AdminDisableUser implements Operation<AdminDisableUser.Input> {
    public record Input(String userPoolId, String username) {
        /** The username is sensitive: keep it out of logs that print records. */
        @Override
        public String toString() {
            return "Input[userPoolId=" + userPoolId + ", username=<redacted>]";
        }
    }

    private static final Buffer EMPTY_OBJECT = Buffer.buffer("{}");

    private final UserStore store;

    public AdminDisableUser(UserStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "AdminDisableUser";
    }

    @Override
    public Input decode(Buffer body) {
        String[] members = AwsJsonInput.readStrings(body, "UserPoolId", "Username");
        new InputValidator()
                .check("userPoolId", members[0], StringConstraint.USER_POOL_ID)
                .check("username", members[1], StringConstraint.USERNAME)
                .throwIfInvalid();
        return new Input(members[0], members[1]);
    }

    @Override
    public String userPoolId(Input input) {
        return input.userPoolId();
    }

    @Override
    public Future<Buffer> execute(Input input, RequestContext context) {
        AuditContext audit = new AuditContext(name(), context.requestId(), context.caller().name());
        return store.disableUser(input.userPoolId(), input.username(), audit)
                .recover(StoreErrors::toAwsError)
                .map(EMPTY_OBJECT);
    }
}
