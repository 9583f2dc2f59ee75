package dev.idpgateway.auth;

/**
 * {@code auth.mode: none}: every request is taken as coming from one caller that is allowed
 * everything. For local experiments only; the gateway warns loudly at start when it is on.
 */
public final class NoAuthentication implements RequestAuthenticator {
    private static final Caller ANONYMOUS = new Caller() {
        @Override
        public String name() {
            return "anonymous";
        }

        @Override
        public String accessKeyId() {
            return null;
        }

        @Override
        public PolicyDecision evaluate(String action, String resourceArn) {
            return PolicyDecision.ALLOW;
        }
    };

    @Override
    public Caller authenticate(SignedRequest request) {
        return ANONYMOUS;
    }
}
