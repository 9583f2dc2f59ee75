package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;

/**
 * Checks a verified caller's policy for one action on one user pool and answers a denial the way
 * the live service words it.
 */
public final class Authorizer {
    private final String region;
    private final String accountId;

    /** @param region and {@code accountId} build the resource ARNs (IDP_REGION, IDP_ACCOUNT_ID) */
    public Authorizer(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    /** {@code arn:aws:cognito-idp:<region>:<account>:userpool/<userPoolId>}, the resource policies name. */
    public String userPoolArn(String userPoolId) {
        return "arn:aws:cognito-idp:" + region + ":" + accountId + ":userpool/" + userPoolId;
    }

    /**
     * @param action for example {@code cognito-idp:AdminDisableUser}
     * @throws AwsException AccessDeniedException unless the caller's policy allows the action
     */
    public void authorize(Caller caller, String action, String resourceArn) {
        PolicyDecision decision = caller.evaluate(action, resourceArn);
        if (decision != PolicyDecision.ALLOW) {
            throw ErrorCode.ACCESS_DENIED.exception(deniedMessage(caller.name(), action, resourceArn, decision));
        }
    }

    /** The live service's wording, which tells "nothing allowed it" from "a Deny matched". */
    public String deniedMessage(String principalName, String action, String resourceArn, PolicyDecision decision) {
        String reason = decision == PolicyDecision.EXPLICIT_DENY
                ? "with an explicit deny in an identity-based policy"
                : "because no identity-based policy allows the " + action + " action";
        return "User: arn:aws:iam::" + accountId + ":user/" + principalName + " is not authorized to perform: "
                + action + " on resource: " + resourceArn + " " + reason;
    }
}
