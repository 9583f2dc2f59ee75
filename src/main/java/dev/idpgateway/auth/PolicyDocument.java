package dev.idpgateway.auth;

import java.util.List;

/** An identity-based IAM policy: explicit Deny wins, then any Allow, else implicit deny. Immutable. */
public final class PolicyDocument {
    private final List<PolicyStatement> statements;

    PolicyDocument(List<PolicyStatement> statements) {
        this.statements = List.copyOf(statements);
    }

    public PolicyDecision evaluate(String action, String resourceArn) {
        boolean allowed = false;
        for (PolicyStatement statement : statements) {
            if (statement.appliesTo(action, resourceArn)) {
                if (statement.effect() == PolicyStatement.Effect.DENY) {
                    return PolicyDecision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? PolicyDecision.ALLOW : PolicyDecision.IMPLICIT_DENY;
    }

    @Override
    public String toString() {
        return "PolicyDocument" + statements;
    }
}
