package dev.idpgateway.operation;

import dev.idpgateway.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks input members against their model constraints and reports every violation at once, in the
 * words of the AWS services: {@code 1 validation error detected: Value 'x' at 'userPoolId' failed to
 * satisfy constraint: Member must ...}, several joined with {@code "; "}.
 */
public final class InputValidator {
    private final List<String> violations = new ArrayList<>(2);

    /**
     * @param member the member's name as the messages give it (lowerCamel, e.g. {@code userPoolId})
     * @return this validator, to chain the next member
     */
    public InputValidator check(String member, String value, StringConstraint constraint) {
        if (value == null) {
            violations.add(subject(member, null, constraint) + "Member must not be null");
            return this;
        }
        int length = value.codePointCount(0, value.length());
        if (length < constraint.minLength()) {
            violations.add(subject(member, value, constraint)
                    + "Member must have length greater than or equal to " + constraint.minLength());
        }
        if (length > constraint.maxLength()) {
            violations.add(subject(member, value, constraint)
                    + "Member must have length less than or equal to " + constraint.maxLength());
        }
        if (!constraint.pattern().matcher(value).matches()) {
            violations.add(subject(member, value, constraint)
                    + "Member must satisfy regular expression pattern: " + constraint.pattern().pattern());
        }
        return this;
    }

    /** @throws dev.idpgateway.protocol.AwsException InvalidParameterException listing every violation */
    public void throwIfInvalid() {
        if (violations.isEmpty()) {
            return;
        }
        int count = violations.size();
        String heading = count + (count == 1 ? " validation error detected: " : " validation errors detected: ");
        throw ErrorCode.INVALID_PARAMETER.exception(heading + String.join("; ", violations));
    }

    private static String subject(String member, String value, StringConstraint constraint) {
        if (constraint.sensitive()) {
            return "Value at '" + member + "' failed to satisfy constraint: ";
        }
        String shown = value == null ? "null" : "'" + value + "'";
        return "Value " + shown + " at '" + member + "' failed to satisfy constraint: ";
    }
}
