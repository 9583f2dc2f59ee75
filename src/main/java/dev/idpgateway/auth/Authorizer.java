package dev.idpgateway.auth;

import dev.idpgateway.protocol.AwsException;
import dev.idpgateway.protocol.ErrorCode;

import java.util.Collection;
import java.util.Set;

/**
 * Checks a verified caller's policy for one action on one user pool and answers a denial the way
 * the live service words it. A user pool id names its region ({@code us-east-1_Example} is in
 * us-east-1): its ARN carries that region, and a pool of a region this gateway does not serve does
 * not exist here, as a pool of another region does not for a regional Cognito endpoint.
 */
public final class Authorizer {
    private final Set<String> regions;
    private final String accountId;

    /** @param regions the regions served (IDP_REGION); with {@code accountId} (IDP_ACCOUNT_ID) they make the resource ARNs */
    public Authorizer(Collection<String> regions, String accountId) {
        this.regions = Set.copyOf(regions);
        this.accountId = accountId;
    }

    /** {@code arn:aws:cognito-idp:<region of the pool id>:<account>:userpool/<userPoolId>}, the resource policies name. */
    public String userPoolArn(String userPoolId) {
        return "arn:aws:cognito-idp:" + region(userPoolId) + ":" + accountId + ":userpool/" + userPoolId;
    }

    /** @throws AwsException ResourceNotFoundException, worded as for a missing pool, unless the pool's region is served */
    public void requireServedRegion(String userPoolId) {
        if (!regions.contains(region(userPoolId))) {
            throw ErrorCode.RESOURCE_NOT_FOUND.exception("User pool " + userPoolId + " does not exist.");
        }
    }

    /** What precedes the first underscore; a valid pool id always has one. */
    private static String region(String userPoolId) {
        int underscore = userPoolId.indexOf('_');
        return underscore < 0 ? "" : userPoolId.substring(0, underscore);
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
