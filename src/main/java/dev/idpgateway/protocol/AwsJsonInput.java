package dev.idpgateway.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads an AWS JSON 1.1 request body: one JSON object whose members the operation names. Unknown
 * members are skipped, as the AWS services do; anything that is not well-formed JSON of the right
 * shape is a SerializationException.
 */
public final class AwsJsonInput {
    private static final JsonFactory JSON = JsonFactory.builder()
            // A member given twice has no single meaning: refuse it rather than pick one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private AwsJsonInput() {
    }

    /**
     * @return the value of each named member, in the order of {@code names}; {@code null} for a member
     * that is absent or JSON null. An empty body reads as an empty object.
     */
    public static String[] readStrings(Buffer body, String... names) {
        String[] values = new String[names.length];
        if (body == null || body.length() == 0) {
            return values;
        }
        byte[] bytes = body.getBytes();
        requireUtf8(bytes);
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ErrorCode.SERIALIZATION.exception("The request body must be a JSON object.");
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                int index = indexOf(names, parser.currentName());
                JsonToken value = parser.nextToken();
                if (index < 0) {
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    values[index] = parser.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    throw ErrorCode.SERIALIZATION.exception(
                            "Member '" + names[index] + "' must be a string, not " + describe(value) + ".");
                }
            }
            if (parser.nextToken() != null) {
                throw ErrorCode.SERIALIZATION.exception("Unexpected content after the JSON object.");
            }
            return values;
        } catch (IOException e) {
            // Covers malformed and truncated JSON, invalid UTF-8, duplicate members and excessive nesting.
            throw ErrorCode.SERIALIZATION.exception("The request body is not valid JSON: " + reason(e));
        }
    }

    /**
     * AWS JSON is UTF-8. The parser alone would detect UTF-16 and UTF-32 by their byte patterns and
     * would decode overlong forms (C0 AF as '/') and sequences beyond U+10FFFF, letting one name be
     * spelled in several byte sequences; the JDK decoder refuses all of them.
     */
    private static void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw ErrorCode.SERIALIZATION.exception("The request body is not valid UTF-8.");
        }
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> token.name().toLowerCase();
        };
    }

    /** The parser's own words without the source excerpt it appends, which would echo the body. */
    private static String reason(IOException e) {
        String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                ? json.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "unreadable input.";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
