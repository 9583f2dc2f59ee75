package dev.idpgateway.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeySchemaTest {
    private final KeySchema keys = new KeySchema("idp");

    @Test
    void keysFollowStorageContractV1() {
        assertEquals("idp:pool:{us-east-1_A}", keys.pool("us-east-1_A"));
        assertEquals("idp:user:{us-east-1_A:alice}", keys.user("us-east-1_A", "alice"));
        assertEquals("idp:tokens:{us-east-1_A:alice}", keys.tokenIndex("us-east-1_A", "alice"));
        assertEquals("idp:token:{us-east-1_A:alice}:t1", keys.token("us-east-1_A", "alice", "t1"));
        assertEquals("idp:alias:{us-east-1_A:email:a@x.io}", keys.alias("us-east-1_A", "email", "a@x.io"));
        assertEquals("idp:sub:{us-east-1_A:1234}", keys.sub("us-east-1_A", "1234"));
        assertEquals("idp:events:{us-east-1_A}", keys.events("us-east-1_A"));
        assertEquals("idp:replicas", keys.replicas());
    }

    @Test
    void allKeysOfOneUserShareOneHashTag() {
        String tag = hashTag(keys.user("p_1", "a}b"));
        assertEquals(tag, hashTag(keys.tokenIndex("p_1", "a}b")));
        assertEquals(tag, hashTag(keys.token("p_1", "a}b", "t")));
    }

    @Test
    void thePrefixIsConfigurable() {
        assertEquals("tenant7:user:{p_1:bob}", new KeySchema("tenant7").user("p_1", "bob"));
    }

    /** What Redis Cluster hashes: the text between the first '{' and the next '}'. */
    private static String hashTag(String key) {
        int open = key.indexOf('{');
        return key.substring(open + 1, key.indexOf('}', open + 1));
    }
}
