package dev.idpgateway.auth;

/** The authenticated caller of one request and what its policy allows. */
public interface Caller {
    /** The principal's name from the credentials file; shows up in logs and audit events. */
    String name();

    /** The access key id the request was signed with, or {@code null} without authentication. */
    String accessKeyId();

    /**
     * The caller's policy decision for {@code action} (for example {@code cognito-idp:AdminDisableUser})
     * on {@code resourceArn}: an explicit Deny wins, and nothing matching means denied. It tells an
     * explicit Deny from "no Allow matched", which the AccessDeniedException message names.
     */
    PolicyDecision evaluate(String action, String resourceArn);

    /** Whether the policy allows {@code action} on {@code resourceArn}. */
    default boolean isAllowed(String action, String resourceArn) {
        return evaluate(action, resourceArn) == PolicyDecision.ALLOW;
    }
}
