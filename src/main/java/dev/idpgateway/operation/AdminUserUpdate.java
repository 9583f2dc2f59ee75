package dev.idpgateway.operation;

import dev.idpgateway.store.AuditContext;
import dev.idpgateway.store.UserStore;
import dev.idpgateway.store.UserUpdate;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * An operation that makes one {@link UserUpdate} to the user its {@code Username} names (the
 * username, an alias attribute the pool allows, or the user's sub), records it in the audit trail
 * under the operation's name, and answers {@code {}}.
 */
abstract class AdminUserUpdate extends AdminUserOperation {
    private static final Buffer EMPTY_OBJECT = Buffer.buffer("{}");

    private final UserStore store;
    private final UserUpdate update;

    AdminUserUpdate(String name, UserStore store, UserUpdate update) {
        super(name);
        this.store = store;
        this.update = update;
    }

    @Override
    public final Future<Buffer> execute(AdminUserInput input, RequestContext context) {
        AuditContext audit = new AuditContext(name(), context.requestId(), context.caller().name());
        return store.updateUser(input.userPoolId(), input.username(), update, audit)
                .recover(StoreErrors::toAwsError)
                .map(EMPTY_OBJECT);
    }
}
