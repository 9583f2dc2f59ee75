package dev.idpgateway.operation;

import io.vertx.core.buffer.Buffer;

/**
 * An operation on one user of one pool, named by {@link AdminUserInput}: it is authorized and
 * throttled for that pool. Subclasses say only what they do with the user.
 */
abstract class AdminUserOperation implements Operation<AdminUserInput> {
    private final String name;

    AdminUserOperation(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final AdminUserInput decode(Buffer body) {
        return AdminUserInput.decode(body);
    }

    @Override
    public final String userPoolId(AdminUserInput input) {
        return input.userPoolId();
    }
}
