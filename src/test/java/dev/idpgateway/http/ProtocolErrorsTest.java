package dev.idpgateway.http;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests no SDK would send still get well-formed AWS errors, never a default page. */
class ProtocolErrorsTest {
    private static final String TARGET = "AWSCognitoIdentityProviderService.AdminDisableUser";
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static GatewayFixture gateway;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder post(String target, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.endpoint()).POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request;
    }

    /** Checks the AWS error envelope and returns the message. */
    private static String assertAwsError(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(JSON_11, response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(type, response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        UUID.fromString(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertNotNull(response.headers().firstValue("Date").orElseThrow());
        JsonObject body = new JsonObject(response.body());
        assertEquals(type, body.getString("__type"));
        String message = body.getString("message");
        assertNotNull(message);
        assertFalse(message.contains("Exception:") || message.contains("\tat "), message);
        return message;
    }

    @Test
    void unknownOrMissingTargetIsUnknownOperation() {
        assertAwsError(send(post("AWSCognitoIdentityProviderService.DeleteEverything", JSON_11, "{}")), 400,
                "UnknownOperationException");
        assertAwsError(send(post(null, JSON_11, "{}")), 400, "UnknownOperationException");
        assertAwsError(send(post("DynamoDB_20120810.GetItem", JSON_11, "{}")), 400, "UnknownOperationException");
    }

    @Test
    void wrongOrMissingContentTypeIsSerializationError() {
        assertAwsError(send(post(TARGET, "application/json", "{}")), 400, "SerializationException");
        assertAwsError(send(post(TARGET, null, "{}")), 400, "SerializationException");
    }

    @Test
    void malformedJsonAndWrongTypesAreSerializationErrors() {
        assertAwsError(send(post(TARGET, JSON_11, "{\"UserPoolId\":")), 400, "SerializationException");
        assertAwsError(send(post(TARGET, JSON_11, "{\"UserPoolId\":42,\"Username\":\"a\"}")), 400, "SerializationException");
        assertAwsError(send(post(TARGET, JSON_11, "[1,2]")), 400, "SerializationException");
    }

    @Test
    void missingMembersAreValidationErrors() {
        String message = assertAwsError(send(post(TARGET, JSON_11, "{}")), 400, "InvalidParameterException");
        assertEquals("2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member "
                + "must not be null; Value at 'username' failed to satisfy constraint: Member must not be null", message);
        assertAwsError(send(post(TARGET, JSON_11, "")), 400, "InvalidParameterException");
    }

    @Test
    void anOversizedBodyIsRefused() {
        String body = "{\"UserPoolId\":\"us-east-1_A\",\"Username\":\"" + "a".repeat(70_000) + "\"}";
        String message = assertAwsError(send(post(TARGET, JSON_11, body)), 400, "SerializationException");
        assertTrue(message.contains("65536"), message);
    }

    @Test
    void otherMethodsAndPathsAreUnknownOperations() {
        assertAwsError(send(HttpRequest.newBuilder(gateway.endpoint()).GET()), 400, "UnknownOperationException");
        assertAwsError(send(HttpRequest.newBuilder(gateway.endpoint().resolve("/admin"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("X-Amz-Target", TARGET)
                .header("Content-Type", JSON_11)), 400, "UnknownOperationException");
        assertAwsError(send(HttpRequest.newBuilder(gateway.endpoint())
                .method("DELETE", HttpRequest.BodyPublishers.noBody())), 400, "UnknownOperationException");
    }

    @Test
    void theGatewayServesNormallyAfterBadInput() {
        anOversizedBodyIsRefused();
        malformedJsonAndWrongTypesAreSerializationErrors();
        assertAwsError(send(post(TARGET, JSON_11, "{\"UserPoolId\":\"us-east-1_Gone\",\"Username\":\"x\"}")), 400,
                "ResourceNotFoundException");
    }

    @Test
    void healthEndpointsAnswerOnTheManagementPort() {
        HttpResponse<String> live = send(HttpRequest.newBuilder(gateway.managementEndpoint().resolve("/health/live")));
        assertEquals(200, live.statusCode());
        HttpResponse<String> ready = send(HttpRequest.newBuilder(gateway.managementEndpoint().resolve("/health/ready")));
        assertEquals(200, ready.statusCode(), ready.body());
        URI api = gateway.endpoint().resolve("/health/live");
        assertAwsError(send(HttpRequest.newBuilder(api)), 400, "UnknownOperationException");
    }
}
