package dev.idpgateway.auth;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * What a request authenticator sees of one HTTP request.
 *
 * @param method   the HTTP method, upper case
 * @param path     the raw request path as sent (not decoded)
 * @param rawQuery the raw query string without '?', or {@code null} when there is none
 * @param headers  the request headers (case-insensitive names)
 * @param body     the complete request body
 */
public record SignedRequest(String method, String path, String rawQuery, MultiMap headers, Buffer body) {
}
