package dev.idpgateway.operation;

import dev.idpgateway.protocol.AwsJsonInput;
import io.vertx.core.buffer.Buffer;

/**
 * The input of the operations that name one user of one pool ({@code AdminDisableUserRequest},
 * {@code AdminEnableUserRequest}, {@code AdminGetUserRequest}, {@code AdminUserGlobalSignOutRequest}):
 * both members required, with the model's constraints.
 */
public record AdminUserInput(String userPoolId, String username) {

    /**
     * Reads and validates a request body. No I/O.
     *
     * @throws dev.idpgateway.protocol.AwsException SerializationException or InvalidParameterException
     */
    public static AdminUserInput decode(Buffer body) {
        String[] members = AwsJsonInput.readStrings(body, "UserPoolId", "Username");
        new InputValidator()
                .check("userPoolId", members[0], StringConstraint.USER_POOL_ID)
                .check("username", members[1], StringConstraint.USERNAME)
                .throwIfInvalid();
        return new AdminUserInput(members[0], members[1]);
    }

    /** The username is sensitive: keep it out of logs that print records. */
    @Override
    public String toString() {
        return "AdminUserInput[userPoolId=" + userPoolId + ", username=<redacted>]";
    }
}
