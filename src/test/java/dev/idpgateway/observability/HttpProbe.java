package dev.idpgateway.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to the management port and to the API, as a probe or a scraper makes them. */
public final class HttpProbe {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private HttpProbe() {
    }

    /**
     * The status code, or -1 when nothing answered within a second: like a kubelet probe, a poll that
     * hangs (a readiness check waiting on a busy Redis) must not hold up the next one.
     */
    public static int status(URI uri) {
        try {
            return get(uri, Duration.ofSeconds(1)).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    static String body(URI uri) {
        try {
            return get(uri, Duration.ofSeconds(10)).body();
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        }
    }

    /** A request for an AWS JSON 1.1 operation on an unauthenticated gateway. */
    static HttpRequest.Builder operation(URI endpoint, String operation, String json) {
        return HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> get(URI uri, Duration timeout) throws IOException {
        try {
            return CLIENT.send(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
