package dev.idpgateway.http;

import dev.idpgateway.testing.Blocking;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the API port reads a request before the API sees it: the body up to {@code http.maxBodyBytes}
 * and not beyond, the connection closed after an oversized body's answer, 100-continue, and the body
 * of a request the API does not serve left unread without spoiling the connection.
 */
@ExtendWith(VertxExtension.class)
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
        Blocking.await(client.close());
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
    void aBodyExactlyAtTheLimitIsReadAndOneByteMoreIsRefused(VertxTestContext test) {
        send(client.request(post()), bodyOf(limit)).compose(atLimit -> {
            test.verify(() -> {
                assertEquals("InvalidParameterException", atLimit.errorType(), atLimit.body());
                assertNull(atLimit.connectionHeader());
            });
            return send(client.request(post()), bodyOf(limit + 1));
        }).onComplete(test.succeeding(over -> test.verify(() -> {
            assertEquals(400, over.status());
            assertTrue(over.body().contains("larger than " + limit + " bytes"), over.body());
            assertRefusedWithClose(over);
            test.completeNow();
        })));
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAndTheConnectionCloses(VertxTestContext test) {
        Checkpoint answered = test.checkpoint();
        Checkpoint closed = test.checkpoint();
        connect().compose(connection -> {
            connection.closeHandler(gone -> closed.flag());
            return connection.request(post());
        }).compose(request -> {
            request.setChunked(true);
            Future<Answer> answer = request.response().compose(Answer::of);
            request.write(Buffer.buffer(PREFIX));
            request.write(Buffer.buffer("a".repeat(limit / 2)));
            request.write(Buffer.buffer("a".repeat(limit / 2)));
            request.end(Buffer.buffer("\"}"));
            return answer;
        }).onComplete(test.succeeding(over -> test.verify(() -> {
            assertRefusedWithClose(over);
            answered.flag();
        })));
    }

    @Test
    void aContentLengthOverTheLimitIsAnsweredBeforeTheBodyIsSent(VertxTestContext test) {
        client.request(post()).compose(request -> {
            request.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(limit + 1));
            Future<Answer> answer = request.response().compose(Answer::of);
            return request.sendHead().compose(headSent -> answer);
        }).onComplete(test.succeeding(refused -> test.verify(() -> {
            assertRefusedWithClose(refused);
            test.completeNow();
        })));
    }

    @Test
    void theBodyFollowsA100Continue(VertxTestContext test) {
        client.request(post()).compose(request -> {
            Buffer body = Buffer.buffer(PREFIX + "nobody\"}");
            request.putHeader(HttpHeaders.EXPECT, HttpHeaders.CONTINUE)
                    .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
                    .continueHandler(proceed -> request.end(body));
            Future<Answer> response = request.response().compose(Answer::of);
            return request.sendHead().compose(headSent -> response);
        }).onComplete(test.succeeding(answer -> test.verify(() -> {
            assertEquals("ResourceNotFoundException", answer.errorType(), answer.body());
            test.completeNow();
        })));
    }

    @Test
    void theUnreadBodyOfAnUnservedRequestLeavesTheConnectionUsable(VertxTestContext test) {
        connect().compose(connection -> send(connection.request(new RequestOptions().setMethod(HttpMethod.PUT).setURI("/")),
                bodyOf(limit * 2)).compose(refused -> {
                    test.verify(() -> {
                        assertEquals("UnknownOperationException", refused.errorType());
                        assertNull(refused.connectionHeader());
                    });
                    return send(connection.request(post()), Buffer.buffer(PREFIX + "nobody\"}"));
                }).eventually(() -> connection.close())
        ).onComplete(test.succeeding(served -> test.verify(() -> {
            assertEquals("ResourceNotFoundException", served.errorType(), "the next request on the same connection");
            assertEquals(0, gateway.telemetry.registry().find("idp.requests").tags("outcome", "InternalErrorException")
                    .timers().stream().mapToLong(Timer::count).sum());
            test.completeNow();
        })));
    }

    private static Future<Answer> send(Future<HttpClientRequest> request, Buffer body) {
        return request.compose(sending -> sending.send(body)).compose(Answer::of);
    }

    /** A body over the limit: refused as unreadable, and the connection is not kept for another request. */
    private static void assertRefusedWithClose(Answer answer) {
        assertEquals("SerializationException", answer.errorType());
        assertEquals("close", answer.connectionHeader());
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
