package dev.idpgateway.store;

/**
 * Storage contract v1: every key the gateway reads or writes. All keys of one user share the hash
 * tag {@code {<poolId>:<ukey>}} so that one script can touch them together on Redis Cluster.
 */
public final class KeySchema {
    private final String prefix;

    public KeySchema(String prefix) {
        this.prefix = prefix;
    }

    public String pool(String poolId) {
        return prefix + ":pool:{" + poolId + "}";
    }

    public String user(String poolId, String userKey) {
        return prefix + ":user:{" + poolId + ":" + userKey + "}";
    }

    public String tokenIndex(String poolId, String userKey) {
        return prefix + ":tokens:{" + poolId + ":" + userKey + "}";
    }

    /** What precedes the token id in every token key of one user. */
    public String tokenPrefix(String poolId, String userKey) {
        return prefix + ":token:{" + poolId + ":" + userKey + "}:";
    }

    public String token(String poolId, String userKey, String tokenId) {
        return tokenPrefix(poolId, userKey) + tokenId;
    }

    public String alias(String poolId, String attribute, String value) {
        return prefix + ":alias:{" + poolId + ":" + attribute + ":" + value + "}";
    }

    public String sub(String poolId, String sub) {
        return prefix + ":sub:{" + poolId + ":" + sub + "}";
    }

    public String events(String poolId) {
        return prefix + ":events:{" + poolId + "}";
    }

    /** The gateway's own key: the live gateway replicas, a sorted set scored by when each one's heartbeat expires. */
    public String replicas() {
        return prefix + ":replicas";
    }
}
