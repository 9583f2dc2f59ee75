package dev.idpgateway.auth;

/** The authenticated caller of one request and what its policy allows. */
public interface Caller {
    /** The principal's name from the credentials file; shows up in logs and audit events. */
    String name();

    /** The access key id the request was signed with, or {@code null} without authentication. */
    String accessKeyId();

    /**
     * Whether the caller's policy allows {@code action} (for example {@code cognito-idp:AdminDisableUser})
     * on {@code resourceArn}: an explicit Deny wins, and nothing matching means denied.
     */
    boolean isAllowed(String action, String resourceArn);

    /**
     * The policy decision behind {@link #isAllowed}; it tells an explicit Deny from "no Allow matched",
     * which the AccessDeniedException message names. Callers without a policy document only know
     * allowed or not, hence the default.
     */
    default PolicyDecision evaluate(String action, String resourceArn) {
        return isAllowed(action, resourceArn) ? PolicyDecision.ALLOW : PolicyDecision.IMPLICIT_DENY;
    }
}
