package dev.idpgateway.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AwsJsonInputTest {
    private static String[] read(String json) {
        return AwsJsonInput.readStrings(Buffer.buffer(json), "UserPoolId", "Username");
    }

    @Test
    void readsNamedMembersAndSkipsUnknownOnes() {
        String[] values = read("{\"Extra\":{\"a\":[1,2,{\"b\":null}]},\"Username\":\"alice\",\"UserPoolId\":\"us-east-1_A\"}");
        assertArrayEquals(new String[]{"us-east-1_A", "alice"}, values);
    }

    @Test
    void absentAndNullMembersAreNull() {
        assertArrayEquals(new String[]{null, null}, read("{\"UserPoolId\":null}"));
        assertArrayEquals(new String[]{null, null}, AwsJsonInput.readStrings(Buffer.buffer(), "UserPoolId", "Username"));
    }

    @Test
    void decodesEscapesAndUnicode() {
        assertEquals("ä\"\u00e9\uD83D\uDE00", read("{\"Username\":\"\\u00e4\\\"é😀\"}")[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{", "{\"UserPoolId\":", "{\"UserPoolId\":\"a\"", "[]", "\"text\"", "42", "null", "{} {}", "{}x",
            "{\"UserPoolId\":1}", "{\"Username\":true}", "{\"Username\":[\"a\"]}", "{\"Username\":{\"a\":1}}",
            "{\"UserPoolId\":\"a\",\"UserPoolId\":\"b\"}", "{'UserPoolId':'a'}", "{\"UserPoolId\":\"a\",}"
    })
    void malformedOrWronglyTypedBodiesAreSerializationErrors(String json) {
        AwsException e = assertThrows(AwsException.class, () -> read(json));
        assertEquals(ErrorCode.SERIALIZATION, e.code());
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"X\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertEquals(ErrorCode.SERIALIZATION, assertThrows(AwsException.class, () -> read(deep)).code());
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = {'{', '"', 'U', 's', 'e', 'r', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        AwsException e = assertThrows(AwsException.class,
                () -> AwsJsonInput.readStrings(Buffer.buffer(body), "UserPoolId", "Username"));
        assertEquals(ErrorCode.SERIALIZATION, e.code());
    }

    @Test
    void errorMessagesDoNotEchoTheBody() {
        AwsException e = assertThrows(AwsException.class, () -> read("{\"Username\":\"secret-name\" oops}"));
        assertFalse(e.getMessage().contains("secret-name"), e.getMessage());
    }
}
