package dev.idpgateway.auth;

import java.util.List;

/** One statement of a policy document: an effect for every listed action on every listed resource. */
record PolicyStatement(Effect effect, List<WildcardPattern> actions, List<WildcardPattern> resources) {

    enum Effect { ALLOW, DENY }

    PolicyStatement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
    }

    boolean appliesTo(String action, String resourceArn) {
        return anyMatches(actions, action) && anyMatches(resources, resourceArn);
    }

    private static boolean anyMatches(List<WildcardPattern> patterns, String value) {
        for (WildcardPattern pattern : patterns) {
            if (pattern.matches(value)) {
                return true;
            }
        }
        return false;
    }
}
