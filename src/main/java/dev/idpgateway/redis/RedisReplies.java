package dev.idpgateway.redis;

import io.vertx.redis.client.Response;

import java.util.HashMap;
import java.util.Map;

/** Reads Redis replies whatever protocol version the connection speaks. */
public final class RedisReplies {
    private RedisReplies() {
    }

    /** The fields of a hash: a RESP3 map, or the flat {@code field, value, ...} array of RESP2 and of scripts. */
    public static Map<String, String> hashFields(Response response) {
        Map<String, String> fields = new HashMap<>();
        if (response == null) {
            return fields;
        }
        if (response.isMap()) {
            for (String key : response.getKeys()) {
                fields.put(key, response.get(key).toString());
            }
        } else {
            for (int i = 0; i + 1 < response.size(); i += 2) {
                fields.put(response.get(i).toString(), response.get(i + 1).toString());
            }
        }
        return fields;
    }
}
