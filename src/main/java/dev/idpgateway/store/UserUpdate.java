package dev.idpgateway.store;

/**
 * The changes the store makes to one user. Each is one atomic script on the resolved user
 * ({@link UserScripts}: {@code lua/user/<name>.lua} after the shared prelude), with an
 * audit event. A new change is a constant here and its script.
 */
public enum UserUpdate {
    /** {@code enabled=false}, {@code modified_at}, and every token revoked ({@code tokens_revoked_at}). */
    DISABLE("user/disable"),
    /** {@code enabled=true}, {@code modified_at}; revoked tokens stay revoked. */
    ENABLE("user/enable"),
    /** Every token revoked ({@code tokens_revoked_at}); {@code enabled} and {@code modified_at} stay. */
    GLOBAL_SIGN_OUT("user/global_sign_out");

    private final String script;

    UserUpdate(String script) {
        this.script = script;
    }

    /** The script resource that makes the change, under {@code lua/}. */
    String script() {
        return script;
    }
}
