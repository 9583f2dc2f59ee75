package dev.idpgateway.dev;

import dev.idpgateway.redis.LuaScript;
import dev.idpgateway.store.KeySchema;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis commands with which a writer service records pools, users and tokens under storage
 * contract v1. Shared by {@link IdentityWriter} (fixtures) and {@link Seeder} (bulk), so both
 * write exactly the same keys. Commands are grouped by hash tag: the commands of one group may
 * travel together (one slot on Redis Cluster), different groups may not.
 */
final class ContractCommands {
    /** Writes the index entry and the token key together; see the script for why. */
    private static final String ISSUE_TOKEN_SCRIPT = LuaScript.fromResource("issue_token").source();

    private final KeySchema keys;
    private final long tokenTtlSeconds;

    ContractCommands(KeySchema keys, Duration tokenTtl) {
        if (tokenTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("token TTL must be at least one second: " + tokenTtl);
        }
        this.keys = keys;
        this.tokenTtlSeconds = tokenTtl.toSeconds();
    }

    KeySchema keys() {
        return keys;
    }

    Request pool(PoolRecord pool) {
        Request hset = Request.cmd(Command.HSET).arg(keys.pool(pool.poolId()))
                .arg("case_sensitive").arg(Boolean.toString(pool.caseSensitive()));
        // Absent means "none" to readers; an empty string would read as one empty attribute name.
        optionalField(hset, "alias_attributes", commaList(pool.aliasAttributes()));
        optionalField(hset, "username_attributes", commaList(pool.usernameAttributes()));
        return hset;
    }

    /**
     * The keys tagged {@code {<poolId>:<ukey>}}: the user hash, the token index and the token
     * keys. A token's value is the epoch ms it was issued at, so tests can compare it with the
     * user's {@code tokens_revoked_at}.
     */
    List<Request> userOwned(PoolRecord pool, UserRecord user, long issuedAt) {
        String poolId = pool.poolId();
        String userKey = pool.userKey(user.username());
        List<Request> commands = new ArrayList<>(2 + user.tokenIds().size());

        Request hset = Request.cmd(Command.HSET).arg(keys.user(poolId, userKey))
                .arg("username").arg(user.username())
                .arg("sub").arg(user.sub())
                .arg("enabled").arg(Boolean.toString(user.enabled()))
                .arg("status").arg(user.status())
                .arg("created_at").arg(user.createdAt())
                .arg("modified_at").arg(user.modifiedAt());
        optionalField(hset, "email", user.email());
        optionalField(hset, "phone_number", user.phoneNumber());
        optionalField(hset, "preferred_username", user.preferredUsername());
        user.otherAttributes().forEach((name, value) -> optionalField(hset, name, value));
        commands.add(hset);

        if (!user.tokenIds().isEmpty()) {
            Request sadd = Request.cmd(Command.SADD).arg(keys.tokenIndex(poolId, userKey));
            user.tokenIds().forEach(sadd::arg);
            commands.add(sadd);
            for (String tokenId : user.tokenIds()) {
                commands.add(token(poolId, userKey, tokenId, issuedAt));
            }
        }
        return commands;
    }

    /** Adds one token to an existing user atomically (index and key in one script, both keys in one slot). */
    Request addToken(PoolRecord pool, String username, String tokenId) {
        String userKey = pool.userKey(username);
        return Request.cmd(Command.EVAL).arg(ISSUE_TOKEN_SCRIPT).arg(2)
                .arg(keys.tokenIndex(pool.poolId(), userKey))
                .arg(keys.token(pool.poolId(), userKey, tokenId))
                .arg(tokenId).arg(tokenTtlSeconds);
    }

    /**
     * The index keys pointing at the user: one per indexed attribute the user has verified (an
     * unverified email or phone number names nobody, as in Cognito), and the sub. Each has its own tag.
     */
    List<Request> indexes(PoolRecord pool, UserRecord user) {
        String poolId = pool.poolId();
        String userKey = pool.userKey(user.username());
        List<Request> commands = new ArrayList<>(4);
        for (String attribute : pool.indexedAttributes()) {
            String value = user.attribute(attribute);
            if (value != null && user.verified(attribute)) {
                String aliasKey = keys.alias(poolId, attribute, pool.aliasValue(attribute, value));
                commands.add(Request.cmd(Command.SET).arg(aliasKey).arg(userKey));
            }
        }
        commands.add(Request.cmd(Command.SET).arg(keys.sub(poolId, user.sub())).arg(userKey));
        return commands;
    }

    private Request token(String poolId, String userKey, String tokenId, long issuedAt) {
        return Request.cmd(Command.SET).arg(keys.token(poolId, userKey, tokenId))
                .arg(issuedAt).arg("EX").arg(tokenTtlSeconds);
    }

    private static void optionalField(Request hset, String field, String value) {
        if (value != null && !value.isEmpty()) {
            hset.arg(field).arg(value);
        }
    }

    private static String commaList(List<String> values) {
        return String.join(",", values);
    }
}
