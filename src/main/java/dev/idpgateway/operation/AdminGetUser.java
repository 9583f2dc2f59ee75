package dev.idpgateway.operation;

import dev.idpgateway.store.StoredUser;
import dev.idpgateway.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * AdminGetUser: reads the user the {@code Username} names (resolved like every admin operation)
 * and answers the model's {@code AdminGetUserResponse}: {@code Username}, {@code UserAttributes}
 * ({@code sub} first), {@code UserCreateDate}, {@code UserLastModifiedDate} (timestamps, sent as
 * epoch seconds), {@code Enabled}, {@code UserStatus} and an empty {@code MFAOptions}. Changes nothing.
 * Attribute names and values are never logged.
 */
public final class AdminGetUser extends AdminUserOperation {
    private final UserStore store;
    private final UserStatusReport statuses = new UserStatusReport();

    public AdminGetUser(UserStore store) {
        super("AdminGetUser");
        this.store = store;
    }

    @Override
    public Future<Buffer> execute(AdminUserInput input, RequestContext context) {
        return store.getUser(input.userPoolId(), input.username())
                .recover(StoreErrors::toAwsError)
                .map(user -> response(input.userPoolId(), user).toBuffer());
    }

    private JsonObject response(String poolId, StoredUser user) {
        JsonArray attributes = new JsonArray();
        user.attributes().forEach((name, value) -> attributes.add(new JsonObject().put("Name", name).put("Value", value)));
        JsonObject response = new JsonObject()
                .put("Username", user.username())
                .put("UserAttributes", attributes);
        putTimestamp(response, "UserCreateDate", user.createdAt());
        putTimestamp(response, "UserLastModifiedDate", user.modifiedAt());
        response.put("Enabled", user.enabled());
        if (!user.status().isEmpty()) {
            response.put("UserStatus", statuses.answer(poolId, user.status()));
        }
        return response.put("MFAOptions", new JsonArray());
    }

    /** AWS JSON 1.1 sends a timestamp as epoch seconds, a number with the milliseconds as its fraction. */
    private static void putTimestamp(JsonObject response, String member, Instant time) {
        if (time != null) {
            response.put(member, BigDecimal.valueOf(time.toEpochMilli(), 3));
        }
    }
}
