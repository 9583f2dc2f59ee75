package dev.idpgateway.store;

import java.util.List;

/**
 * The name matches more than one account (Cognito keeps a name unique to one account as username,
 * alias or sub; the stored data does not): nothing was changed. Carries how the name matched, never the name.
 */
public final class AmbiguousUserException extends RuntimeException {
    private final List<String> matchedAs;

    public AmbiguousUserException(List<String> matchedAs) {
        super("name matches more than one user, as " + String.join(" and ", matchedAs), null, false, false);
        this.matchedAs = List.copyOf(matchedAs);
    }

    /** How the name matched, in resolution order: {@code username}, alias attributes, {@code sub}; each once. */
    public List<String> matchedAs() {
        return matchedAs;
    }
}
