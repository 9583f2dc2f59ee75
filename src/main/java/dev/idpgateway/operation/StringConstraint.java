package dev.idpgateway.operation;

import java.util.regex.Pattern;

/**
 * The constraints the service model puts on a string member: length in Unicode code points, a
 * regular expression, and whether the value is sensitive (never echoed in a message).
 */
public record StringConstraint(int minLength, int maxLength, Pattern pattern, boolean sensitive) {

    /** {@code UserPoolIdType} of the Cognito model. */
    public static final StringConstraint USER_POOL_ID =
            new StringConstraint(1, 55, Pattern.compile("[\\w-]+_[0-9a-zA-Z]+"), false);

    /** {@code UsernameType} of the Cognito model: sensitive. */
    public static final StringConstraint USERNAME =
            new StringConstraint(1, 128, Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"), true);
}
