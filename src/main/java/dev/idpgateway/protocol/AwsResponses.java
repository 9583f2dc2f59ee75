package dev.idpgateway.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes AWS JSON 1.1 responses: every response carries {@code x-amzn-RequestId} and {@code Date}
 * (SDKs correct their clock skew from it); errors carry {@code x-amzn-ErrorType} with the same bare
 * name as the body's {@code __type}, which the Java SDK reads first.
 */
public final class AwsResponses {
    public static final CharSequence CONTENT_TYPE_JSON_11 = HttpHeaders.createOptimized("application/x-amz-json-1.1");
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-amzn-RequestId");
    private static final CharSequence ERROR_TYPE = HttpHeaders.createOptimized("x-amzn-ErrorType");
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The Date header changes once a second: format it once a second, not per request. */
    private static volatile CachedDate cachedDate = new CachedDate(-1, "");

    private AwsResponses() {
    }

    public static void success(HttpServerResponse response, String requestId, Buffer body) {
        commonHeaders(response, requestId).setStatusCode(200).end(body);
    }

    public static void error(HttpServerResponse response, String requestId, AwsException error) {
        ErrorCode code = error.code();
        commonHeaders(response, requestId)
                .putHeader(ERROR_TYPE, code.type())
                .setStatusCode(code.status())
                .end(errorBody(error));
    }

    /** {@code {"__type": ..., "message": ...}}; on its own so that AwsCodecBenchmark can time it. */
    static Buffer errorBody(AwsException error) {
        return new JsonObject().put("__type", error.code().type()).put("message", error.getMessage()).toBuffer();
    }

    private static HttpServerResponse commonHeaders(HttpServerResponse response, String requestId) {
        return response
                .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE_JSON_11)
                .putHeader(REQUEST_ID, requestId)
                .putHeader(HttpHeaders.DATE, httpDate());
    }

    static String httpDate() {
        long second = System.currentTimeMillis() / 1000;
        CachedDate date = cachedDate;
        if (date.epochSecond != second) {
            date = new CachedDate(second, HTTP_DATE.format(Instant.ofEpochSecond(second)));
            cachedDate = date;
        }
        return date.text;
    }

    private record CachedDate(long epochSecond, String text) {
    }
}
