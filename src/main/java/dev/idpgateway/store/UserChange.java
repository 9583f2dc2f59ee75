package dev.idpgateway.store;

import io.vertx.redis.client.Response;

/**
 * The outcome of one {@link UserUpdate} of one user.
 *
 * @param userKey       the user's key within the pool ({@code <ukey>} of the storage contract)
 * @param sub           the user's sub
 * @param tokensRevoked how many token keys were deleted (0 for a change that revokes none)
 * @param changedAt     when the change was made, epoch milliseconds of the Redis clock; for a
 *                      change that revokes tokens this is also {@code tokens_revoked_at}
 */
public record UserChange(String userKey, String sub, long tokensRevoked, long changedAt) {

    /** From the reply {@code {1, tokens revoked, sub, time}} of a user update script. */
    static UserChange fromReply(String userKey, Response reply) {
        return new UserChange(userKey, reply.get(2).toString(), reply.get(1).toLong(),
                Long.parseLong(reply.get(3).toString()));
    }
}
