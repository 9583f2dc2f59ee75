package dev.idpgateway.store;

/**
 * The outcome of disabling one user.
 *
 * @param userKey        the user's key within the pool ({@code <ukey>} of the storage contract)
 * @param sub            the user's sub
 * @param tokensRevoked  how many token keys were deleted
 * @param revokedAt      {@code tokens_revoked_at}, epoch milliseconds of the Redis clock
 */
public record DisabledUser(String userKey, String sub, long tokensRevoked, long revokedAt) {
}
