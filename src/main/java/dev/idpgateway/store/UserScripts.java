package dev.idpgateway.store;

import dev.idpgateway.redis.LuaScript;
import dev.idpgateway.redis.RedisCommands;
import io.vertx.core.Future;

/**
 * The two scripts of one operation on one user ({@code lua/user/<name>.lua}), each the shared
 * prelude {@code lua/user/resolved.lua}, a resolution part and the operation's own part.
 *
 * @param byName  resolves the {@code Username} itself, in the same round trip ({@code user/by_name}): only
 *                where one node holds every key
 * @param byIndex acts on the user the resolver found, re-checking the index it was found by ({@code user/by_index})
 */
record UserScripts(LuaScript byName, LuaScript byIndex) {
    private static final String PRELUDE = "user/resolved";

    static UserScripts of(String operation) {
        return new UserScripts(LuaScript.composed(PRELUDE, "user/by_name", operation),
                LuaScript.composed(PRELUDE, "user/by_index", operation));
    }

    /** SCRIPT LOAD of both, so that the first request finds them cached. */
    Future<Void> load(RedisCommands redis) {
        return Future.all(byName.load(redis), byIndex.load(redis)).mapEmpty();
    }
}
