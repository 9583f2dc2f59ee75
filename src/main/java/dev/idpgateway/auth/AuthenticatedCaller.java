package dev.idpgateway.auth;

/** A caller whose signature was verified with one of its principal's access keys. */
public final class AuthenticatedCaller implements Caller {
    private final Principal principal;
    private final String accessKeyId;

    public AuthenticatedCaller(Principal principal, String accessKeyId) {
        this.principal = principal;
        this.accessKeyId = accessKeyId;
    }

    @Override
    public String name() {
        return principal.name();
    }

    @Override
    public String accessKeyId() {
        return accessKeyId;
    }

    @Override
    public PolicyDecision evaluate(String action, String resourceArn) {
        return principal.policy().evaluate(action, resourceArn);
    }

    @Override
    public String toString() {
        return "Caller[name=" + principal.name() + ", accessKeyId=" + accessKeyId + "]";
    }
}
