package dev.idpgateway.reliability;

import dev.idpgateway.operation.InputValidator;
import dev.idpgateway.operation.StringConstraint;
import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.AwsJsonInput;
import dev.idpgateway.protocol.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the AWS JSON codec and the input validator, the two units every request body passes:
 * no input makes them fail other than with the two client errors; what is valid reads back exactly;
 * and the validator agrees with an oracle written from the model's words.
 */
class CodecPropertiesTest {
    private static final Set<ErrorCode> CLIENT_ERRORS = Set.of(ErrorCode.SERIALIZATION, ErrorCode.INVALID_PARAMETER);
    /** The oracle: the Cognito model's patterns and lengths, restated here rather than taken from the code. */
    private static final Pattern POOL_ID = Pattern.compile("[\\w-]+_[0-9a-zA-Z]+");
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");

    /** What AdminDisableUser does with a body before any I/O. */
    private static String[] decode(byte[] body) {
        String[] members = AwsJsonInput.readStrings(Buffer.buffer(body), "UserPoolId", "Username");
        new InputValidator()
                .check("userPoolId", members[0], StringConstraint.USER_POOL_ID)
                .check("username", members[1], StringConstraint.USERNAME)
                .throwIfInvalid();
        return members;
    }

    private static void decodesOrRefusesAsAClientError(byte[] body) {
        try {
            decode(body);
        } catch (AwsException e) {
            assertTrue(CLIENT_ERRORS.contains(e.code()), e.code() + ": " + e.getMessage());
        }
    }

    @Property(tries = 3000)
    void arbitraryBytesAreDecodedOrRefusedAsClientErrors(@ForAll byte[] body) {
        decodesOrRefusesAsAClientError(body);
    }

    @Property(tries = 2000)
    void arbitraryJsonIsDecodedOrRefusedAsClientErrors(@ForAll("json") String json) {
        decodesOrRefusesAsAClientError(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 2000)
    void validInputsReadBackExactly(@ForAll("poolIds") String poolId, @ForAll("usernames") String username,
                                    @ForAll("json") String unknownMember) {
        JsonObject body = new JsonObject().put("Extra", new JsonArray().add(unknownMember))
                .put("UserPoolId", poolId).put("Username", username);
        assertArrayEquals(new String[]{poolId, username}, decode(body.toBuffer().getBytes()));
    }

    @Property(tries = 3000)
    void theValidatorAgreesWithTheModel(@ForAll("anyText") String poolId, @ForAll("anyText") String username) {
        boolean valid = conforms(poolId, 55, POOL_ID) && conforms(username, 128, USERNAME);
        byte[] body = new JsonObject().put("UserPoolId", poolId).put("Username", username).toBuffer().getBytes();
        if (valid) {
            decode(body);
        } else {
            AwsException e = assertThrows(AwsException.class, () -> decode(body));
            assertEquals(ErrorCode.INVALID_PARAMETER, e.code());
        }
    }

    private static boolean conforms(String value, int maxCodePoints, Pattern pattern) {
        long length = value.codePoints().count();
        return length >= 1 && length <= maxCodePoints && pattern.matcher(value).matches();
    }

    // Regression examples: what the hostile corpus found, kept here at the unit's level.

    @Example
    void anOverlongSlashIsNotUtf8() {
        assertSerializationError("7b22557365726e616d65223a2261c0af62227d"); // {"Username":"a<C0 AF>b"}
    }

    @Example
    void aSequenceBeyondU10FFFFIsNotUtf8() {
        assertSerializationError("7b22557365726e616d65223a22f4908080227d");
    }

    @Example
    void aUtf16BodyIsNotUtf8() {
        assertSerializationError("fffe7b00220055007300650072006e0061006d00650022003a00220061002200" + "7d00");
    }

    @Example
    void aLoneSurrogateEscapeIsAnInvalidUsername() {
        byte[] body = "{\"UserPoolId\":\"us-east-1_A\",\"Username\":\"al\\ud800ice\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ErrorCode.INVALID_PARAMETER, assertThrows(AwsException.class, () -> decode(body)).code());
    }

    @Example
    void aUsernameOf128SupplementaryCharactersIsValid() {
        String emoji = "\uD83D\uDE00".repeat(128);
        byte[] body = new JsonObject().put("UserPoolId", "us-east-1_A").put("Username", emoji).toBuffer().getBytes();
        assertEquals(emoji, decode(body)[1]);
    }

    private static void assertSerializationError(String hex) {
        byte[] body = HexFormat.of().parseHex(hex);
        assertEquals(ErrorCode.SERIALIZATION, assertThrows(AwsException.class, () -> decode(body)).code());
    }

    @Provide
    Arbitrary<String> json() {
        return jsonValue(4).map(String::valueOf);
    }

    /** Any JSON value, members named like the real ones half of the time. */
    private static Arbitrary<Object> jsonValue(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(anyText().map(Object.class::cast),
                Arbitraries.integers().map(Object.class::cast), Arbitraries.doubles().map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast), Arbitraries.just(null));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("UserPoolId", "Username"), anyText());
        Arbitrary<Object> object = Arbitraries.maps(names, Arbitraries.lazy(() -> jsonValue(depth - 1))).ofMaxSize(4)
                .map(members -> new JsonObject(new java.util.HashMap<>(members)));
        Arbitrary<Object> array = Arbitraries.lazy(() -> jsonValue(depth - 1)).list().ofMaxSize(4)
                .map(items -> new JsonArray(new java.util.ArrayList<>(items)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(3, object), net.jqwik.api.Tuple.of(1, array));
    }

    /** Any UTF-16 text, lone surrogates and control characters included; lengths around the limits too. */
    @Provide
    static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(140),
                Arbitraries.strings().all().ofMinLength(50).ofMaxLength(140),
                poolIdsArbitrary(), usernamesArbitrary());
    }

    @Provide
    Arbitrary<String> poolIds() {
        return poolIdsArbitrary();
    }

    @Provide
    Arbitrary<String> usernames() {
        return usernamesArbitrary();
    }

    private static Arbitrary<String> poolIdsArbitrary() {
        Arbitrary<String> head = Arbitraries.strings().withChars("-_").alpha().numeric().ofMinLength(1).ofMaxLength(30);
        Arbitrary<String> tail = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(24);
        return Combinators.combine(head, tail).as((h, t) -> h + "_" + t);
    }

    /** Strings of code points from the categories the model allows, 1 to 128 of them. */
    private static Arbitrary<String> usernamesArbitrary() {
        Arbitrary<Integer> allowed = Arbitraries.integers().between(0x21, 0x2FFFF)
                .filter(cp -> USERNAME.matcher(Character.toString(cp)).matches());
        return allowed.list().ofMinSize(1).ofMaxSize(128).map(cps -> {
            StringBuilder text = new StringBuilder();
            cps.forEach(text::appendCodePoint);
            return text.toString();
        });
    }
}
