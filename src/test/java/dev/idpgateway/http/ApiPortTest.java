package dev.idpgateway.http;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the API port reads a request before the API sees it: the body up to {@code http.maxBodyBytes}
 * and not beyond, the connection closed after an oversized body's answer, 100-continue, and the body
 * of a request the API does not serve left unread without spoiling the connection.
 */
class ApiPortTest {
    private static final String TARGET = "AWSCognitoIdentityProviderService.AdminDisableUser";
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String PREFIX = "{\"UserPoolId\":\"us-east-1_Port\",\"Username\":\"";
    private static GatewayFixture gateway;
    private static HttpClientAgent client;
    private static int limit;

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start(Map.of());
        limit = gateway.config.http().maxBodyBytes();
        client = gateway.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(gateway.config.http().port()));
    }

    @AfterAll
    static void stop() {
        GatewayFixture.await(client.close());
        gateway.close();
    }

    /** A disable whose Username pads the body to {@code length} bytes: too long a name, so InvalidParameter once read. */
    private static Buffer bodyOf(int length) {
        return Buffer.buffer(PREFIX + "a".repeat(length - PREFIX.length() - 2) + "\"}");
    }

    private static Future<HttpClientConnection> connect() {
        return client.connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(gateway.config.http().port()));
    }

    private static RequestOptions post() {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI("/")
                .putHeader("X-Amz-Target", TARGET).putHeader(HttpHeaders.CONTENT_TYPE, JSON_11);
    }

    @Test
    void aBodyExactlyAtTheLimitIsReadAndOneByteMoreIsRefused() {
        Answer atLimit = GatewayFixture.await(client.request(post()).compose(request -> request.send(bodyOf(limit)))
                .compose(Answer::of));
        assertEquals("InvalidParameterException", atLimit.errorType(), atLimit.body());
        assertNull(atLimit.connectionHeader());

        Answer over = GatewayFixture.await(client.request(post()).compose(request -> request.send(bodyOf(limit + 1)))
                .compose(Answer::of));
        assertEquals(400, over.status());
        assertEquals("SerializationException", over.errorType());
        assertTrue(over.body().contains("larger than " + limit + " bytes"), over.body());
        assertEquals("close", over.connectionHeader());
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAndTheConnectionCloses() {
        HttpClientConnection connection = GatewayFixture.await(connect());
        Promise<Void> closed = Promise.promise();
        connection.closeHandler(closed::tryComplete);
        Answer over = GatewayFixture.await(connection.request(post()).compose(request -> {
            request.setChunked(true);
            Future<Answer> answer = request.response().compose(Answer::of);
            request.write(Buffer.buffer(PREFIX));
            request.write(Buffer.buffer("a".repeat(limit / 2)));
            request.write(Buffer.buffer("a".repeat(limit / 2)));
            request.end(Buffer.buffer("\"}"));
            return answer;
        }));
        assertEquals("SerializationException", over.errorType());
        assertEquals("close", over.connectionHeader());
        GatewayFixture.await(closed.future());
    }

    @Test
    void aContentLengthOverTheLimitIsAnsweredBeforeTheBodyIsSent() {
        Answer refused = GatewayFixture.await(client.request(post()).compose(request -> {
            request.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(limit + 1));
            Future<Answer> answer = request.response().compose(Answer::of);
            return request.sendHead().compose(headSent -> answer);
        }));
        assertEquals("SerializationException", refused.errorType());
        assertEquals("close", refused.connectionHeader());
    }

    @Test
    void theBodyFollowsA100Continue() {
        Answer answer = GatewayFixture.await(client.request(post()).compose(request -> {
            Buffer body = Buffer.buffer(PREFIX + "nobody\"}");
            request.putHeader(HttpHeaders.EXPECT, HttpHeaders.CONTINUE)
                    .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
                    .continueHandler(proceed -> request.end(body));
            Future<Answer> response = request.response().compose(Answer::of);
            return request.sendHead().compose(headSent -> response);
        }));
        assertEquals("ResourceNotFoundException", answer.errorType(), answer.body());
    }

    @Test
    void theUnreadBodyOfAnUnservedRequestLeavesTheConnectionUsable() {
        HttpClientConnection connection = GatewayFixture.await(connect());
        Answer refused = GatewayFixture.await(connection.request(new RequestOptions().setMethod(HttpMethod.PUT).setURI("/"))
                .compose(request -> request.send(bodyOf(limit * 2))).compose(Answer::of));
        assertEquals("UnknownOperationException", refused.errorType());
        assertNull(refused.connectionHeader());
        Answer served = GatewayFixture.await(connection.request(post())
                .compose(request -> request.send(Buffer.buffer(PREFIX + "nobody\"}"))).compose(Answer::of));
        assertEquals("ResourceNotFoundException", served.errorType(), "the next request on the same connection");
        assertEquals(0, gateway.telemetry.registry().find("idp.requests").tags("outcome", "InternalErrorException")
                .timers().stream().mapToLong(Timer::count).sum());
        GatewayFixture.await(connection.close());
    }

    private record Answer(HttpClientResponse response, String body) {
        static Future<Answer> of(HttpClientResponse response) {
            return response.body().map(body -> new Answer(response, body.toString()));
        }

        int status() {
            return response.statusCode();
        }

        String errorType() {
            return response.getHeader("x-amzn-ErrorType");
        }

        String connectionHeader() {
            return response.getHeader(HttpHeaders.CONNECTION);
        }
    }
}
